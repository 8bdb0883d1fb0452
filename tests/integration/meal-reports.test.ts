import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.js';
import { useLocalEnv } from '../support/env.js';
import { addDays, mealsFixture, today } from '../support/meals.js';

let fx: Awaited<ReturnType<typeof mealsFixture>>;
beforeAll(async () => {
  fx = await mealsFixture({ effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }], siteSubsidyPerDinerFen: 300 });
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const cstDateOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

describe('daily report and monthly settlement', () => {
  it('settlement totals equal the sum of the line items and of the servings not voided, in JSON and CSV', async () => {
    const site = await fx.newSite();
    const t = await fx.siteToken(site.id);
    const elders = await Promise.all(Array.from({ length: 6 }, () => fx.register({ categories: ['dibao'] })));
    const at = minutesAgo(3);
    const records = elders.flatMap((e, i) => [
      { clientRecordId: `s1-${e.id}`, elderId: e.id, servedAt: at, slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' },
      { clientRecordId: `s2-${e.id}`, elderId: e.id, servedAt: at, slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }, // second meal: full price
      ...(i < 2 ? [{ clientRecordId: `s3-${e.id}`, elderId: e.id, servedAt: at, slot: 'dinner', mode: 'dine_in', verifiedBy: 'face' }] : []),
    ]);
    const r = await api('POST', `/v1/meal-sites/${site.id}/servings`, { token: t, body: { records } });
    expect(r.body.results.every((x: { status: string }) => x.status === 'accepted')).toBe(true);
    const voidId = r.body.results[0].servingId;
    await api('POST', `/v1/servings/${voidId}/void`, { token: t, body: { reason: '重复刷卡' } });

    const date = cstDateOf(at);
    const month = date.slice(0, 7);
    const s = await api('GET', `/v1/reports/meals/settlement?month=${month}&siteId=${site.id}`, { token: fx.staff });
    expect(s.status).toBe(200);
    const lines = s.body.lines as { kind: string; subsidyFen: number; elderName?: string }[];
    expect(s.body.totalFen).toBe(lines.reduce((n, l) => n + l.subsidyFen, 0));
    expect(s.body.mealSubsidyFen).toBe(lines.filter((l) => l.kind === 'meal').reduce((n, l) => n + l.subsidyFen, 0));
    // 6 lunches subsidised, one voided; 2 dinners: 7 lines of 500; 6 diners that day x 300.
    expect(s.body.subsidisedMeals).toBe(7);
    expect(s.body.mealSubsidyFen).toBe(3500);
    expect(s.body.siteSubsidyFen).toBe(6 * 300);
    expect(s.body.meals).toBe(6 * 2 + 2 - 1);
    expect(lines.filter((l) => l.kind === 'meal').every((l) => l.elderName === '王秀英')).toBe(true);

    const listed = await api('GET', `/v1/meal-sites/${site.id}/servings?date=${date}`, { token: fx.staff });
    const notVoided = listed.body.items.filter((x: { status: string }) => x.status === 'recorded');
    expect(s.body.mealSubsidyFen).toBe(notVoided.reduce((n: number, x: { subsidyFen: number }) => n + x.subsidyFen, 0));

    const csv = await api('GET', `/v1/reports/meals/settlement?month=${month}&siteId=${site.id}`, { token: fx.staff, headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parse(String(csv.body), { bom: true }) as string[][];
    const col = rows[0]!.indexOf('subsidyFen');
    expect(rows.slice(1, -1).reduce((n, l) => n + Number(l[col]), 0)).toBe(s.body.totalFen);
    expect(Number(rows.at(-1)![col])).toBe(s.body.totalFen);

    const daily = await api('GET', `/v1/reports/meals/daily?date=${date}&township=${fx.township}`, { token: fx.staff });
    const mine = daily.body.sites.find((x: { siteId: string }) => x.siteId === site.id);
    expect(mine).toMatchObject({ servings: 13, subsidisedMeals: 7, subsidyFen: 3500, distinctElders: 6, voided: 1, bySlot: { lunch: 11, dinner: 2 } });
  });

  it('township staff see only their township in reports', async () => {
    const { token } = await import('../support/api.js');
    const t2 = await token({ role: 'staff', county: fx.county, township: fx.otherTownship });
    expect((await api('GET', `/v1/reports/meals/daily?date=${today()}&township=${fx.township}`, { token: t2 })).status).toBe(403);
    const own = await api('GET', `/v1/reports/meals/daily?date=${today()}`, { token: t2 });
    expect(own.status).toBe(200);
    expect(own.body.sites).toEqual([]);
    expect((await api('GET', `/v1/reports/meals/settlement?month=${today().slice(0, 7)}&siteId=${fx.site.id}`, { token: t2 })).status).toBe(403);
  });

  it('the anomalies report finds an elder served at two sites within 30 minutes', async () => {
    const siteB = await fx.newSite();
    const elder = await fx.register();
    await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: await fx.siteToken(), body: { records: [{ clientRecordId: `an1-${elder.id}`, elderId: elder.id, servedAt: minutesAgo(40), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }] } });
    await api('POST', `/v1/meal-sites/${siteB.id}/servings`, { token: await fx.siteToken(siteB.id), body: { records: [{ clientRecordId: `an2-${elder.id}`, elderId: elder.id, servedAt: minutesAgo(25), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }] } });
    const month = cstDateOf(minutesAgo(40)).slice(0, 7);
    const r = await api('GET', `/v1/reports/meals/anomalies?month=${month}`, { token: fx.staff });
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'two_sites_within_30_minutes', elderId: elder.id, minutesApart: 15 })]));
  });
});

describe('report jobs', () => {
  const poll = async (location: string, token: string) => {
    for (let i = 0; i < 100; i++) {
      const r = await api('GET', location, { token });
      if (r.status !== 202) return r;
      expect(r.headers.get('retry-after')).toBe('5');
      await new Promise((ok) => setTimeout(ok, 50));
    }
    throw new Error('report job still running');
  };

  it('Prefer: respond-async answers 202 with where to poll; the job ends with the same report as the synchronous answer', async () => {
    const siteB = await fx.newSite();
    const elder = await fx.register();
    await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: await fx.siteToken(), body: { records: [{ clientRecordId: `job1-${elder.id}`, elderId: elder.id, servedAt: minutesAgo(50), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }] } });
    await api('POST', `/v1/meal-sites/${siteB.id}/servings`, { token: await fx.siteToken(siteB.id), body: { records: [{ clientRecordId: `job2-${elder.id}`, elderId: elder.id, servedAt: minutesAgo(45), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }] } });
    const month = cstDateOf(minutesAgo(50)).slice(0, 7);
    const now = await api('GET', `/v1/reports/meals/anomalies?month=${month}`, { token: fx.staff });
    expect(now.status).toBe(200);

    const later = await api('GET', `/v1/reports/meals/anomalies?month=${month}`, { token: fx.staff, headers: { prefer: 'respond-async' } });
    expect(later.status).toBe(202);
    expect(later.body).toMatchObject({ kind: 'meals.anomalies', status: 'running', month });
    const location = later.headers.get('location')!;
    expect(location).toBe(`/v1/reports/jobs/${later.body.reportId}`);
    const done = await poll(location, fx.staff);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ reportId: later.body.reportId, status: 'done', month });
    expect(done.body.result).toEqual(now.body);
    expect(done.body.result.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'two_sites_within_30_minutes', elderId: elder.id })]));

    // The job covers the county: township staff may not read it; another county can't address it.
    const township = await (await import('../support/api.js')).token({ role: 'staff', county: fx.county, township: fx.township });
    expect((await api('GET', location, { token: township })).status).toBe(403);
    const elsewhere = await (await import('../support/api.js')).token({ role: 'staff', county: '419999' });
    expect((await api('GET', location, { token: elsewhere })).status).toBe(404);
    expect((await api('GET', '/v1/reports/jobs/rpt_nothing', { token: fx.staff })).status).toBe(404);
    // A township staff member's own job is theirs.
    const mine = await api('GET', `/v1/reports/meals/anomalies?month=${month}`, { token: township, headers: { prefer: 'respond-async' } });
    expect(mine.body.township).toBe(fx.township);
    expect((await poll(mine.headers.get('location')!, township)).body.status).toBe('done');
  });

  it('a report over the request\'s budget becomes a job instead of timing out', async () => {
    useLocalEnv();
    const elder = await fx.register();
    await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: await fx.siteToken(), body: { records: [{ clientRecordId: `budget-${elder.id}`, elderId: elder.id, servedAt: minutesAgo(5), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }] } });
    const { anomaliesNowOrLater, readReportJob } = await import('../../functions/meals/report-jobs.js');
    const staff = { sub: 'budget-test', role: 'staff' as const, county: fx.county };
    const month = cstDateOf(minutesAgo(5)).slice(0, 7);
    process.env.REPORT_SYNC_MAX_SERVINGS = '0';
    try {
      const answer = await anomaliesNowOrLater(staff, month, undefined, { preferAsync: false, now: new Date() });
      expect(answer.status).toBe(202);
      if (answer.status !== 202) return;
      let job = await readReportJob(staff, answer.body.reportId, new Date());
      for (let i = 0; i < 100 && job.status === 202; i++) {
        await new Promise((ok) => setTimeout(ok, 50));
        job = await readReportJob(staff, answer.body.reportId, new Date());
      }
      expect(job).toMatchObject({ status: 200, body: { status: 'done', result: { month } } });
    } finally {
      delete process.env.REPORT_SYNC_MAX_SERVINGS;
    }
    // Within the budget: the report itself.
    expect((await anomaliesNowOrLater(staff, month, undefined, { preferAsync: false, now: new Date() })).status).toBe(200);
  });
});

describe('no-shows and welfare alerts', () => {
  it('an unserved booking becomes no_show after its slot; an elder living alone raises an alert staff close with a note', async () => {
    useLocalEnv();
    const { runNoShows } = await import('../../functions/meals/no-shows.js');
    const late = await fx.newSite({ slots: { breakfast: { capacity: 5, priceFen: 800, cutoff: '23:59' }, lunch: { capacity: 5, priceFen: 800, cutoff: '23:59' }, dinner: { capacity: 5, priceFen: 800, cutoff: '23:59' } } });
    const alone = await fx.register({ categories: ['living_alone'] });
    const notAlone = await fx.register({ categories: ['empty_nest'] });
    const date = today();
    const b1 = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: alone.id, siteId: late.id, date, slot: 'dinner', mode: 'dine_in' } });
    const b2 = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: notAlone.id, siteId: late.id, date, slot: 'dinner', mode: 'dine_in' } });
    expect([b1.status, b2.status]).toEqual([201, 201]);

    // Run the job as if it were tomorrow morning: today's dinner has ended.
    const tomorrowMorning = new Date(Date.parse(`${addDays(date, 1)}T08:00:00+08:00`));
    const first = await runNoShows(tomorrowMorning, { counties: [fx.county] });
    expect(first.noShows).toBeGreaterThanOrEqual(2);
    const again = await runNoShows(tomorrowMorning, { counties: [fx.county] });
    expect(again).toEqual({ noShows: 0, alerts: 0 }); // a rerun changes nothing

    const list = await api('GET', `/v1/bookings?elderId=${alone.id}`, { token: fx.staff });
    expect(list.body.items[0].status).toBe('no_show');
    const alerts = await api('GET', '/v1/alerts', { token: fx.staff });
    const mine = alerts.body.items.filter((a: { elderId: string }) => a.elderId === alone.id || a.elderId === notAlone.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'no_show_living_alone', status: 'open', elderId: alone.id, bookingId: b1.body.id, township: fx.township });

    const other = await (await import('../support/api.js')).token({ role: 'staff', county: fx.county, township: fx.otherTownship });
    expect((await api('POST', `/v1/alerts/${mine[0].id}/close`, { token: other, body: { note: '已电话联系' } })).status).toBe(403);
    const closed = await api('POST', `/v1/alerts/${mine[0].id}/close`, { token: fx.staff, body: { note: '已上门探访，老人安好' } });
    expect(closed.body).toMatchObject({ status: 'closed', closed: { note: '已上门探访，老人安好' } });
    expect((await api('POST', `/v1/alerts/${mine[0].id}/close`, { token: fx.staff, body: { note: '再次' } })).body.error.code).toBe('ALREADY_CLOSED');
    const open = await api('GET', '/v1/alerts?status=open', { token: fx.staff });
    expect(open.body.items.find((a: { id: string }) => a.id === mine[0].id)).toBeUndefined();
    expect((await api('GET', '/v1/alerts?status=closed', { token: fx.staff })).body.items.map((a: { id: string }) => a.id)).toContain(mine[0].id);
  });

  it('alert lists page newest first; open ones never include closed ones; township staff see their township', async () => {
    useLocalEnv();
    const { runNoShows } = await import('../../functions/meals/no-shows.js');
    const late = await fx.newSite({ slots: { dinner: { capacity: 9, priceFen: 800, cutoff: '23:59' } } });
    // Five elders living alone miss today's dinner, one of them in the other township.
    const elders: { id: string }[] = [];
    for (let i = 0; i < 5; i++) elders.push(await fx.register({ categories: ['living_alone'], ...(i === 4 && { township: fx.otherTownship }) }));
    for (const e of elders) {
      const r = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: e.id, siteId: late.id, date: today(), slot: 'dinner', mode: 'dine_in' } });
      expect(r.status).toBe(201);
    }
    await runNoShows(new Date(Date.parse(`${addDays(today(), 1)}T08:00:00+08:00`)), { counties: [fx.county] });
    const walk = async (query: string, t = fx.staff) => {
      const seen: { id: string; elderId: string; status: string; township: string }[] = [];
      let next: string | undefined;
      do {
        const r = await api('GET', `/v1/alerts?limit=2&${query}${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`, { token: t });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...r.body.items);
        next = r.body.nextToken;
      } while (next);
      return seen;
    };
    const open = await walk('status=open');
    const ours = open.filter((a) => elders.some((e) => e.id === a.elderId));
    expect(ours).toHaveLength(5);
    expect(new Set(open.map((a) => a.id)).size).toBe(open.length);
    expect(open.map((a) => a.id)).toEqual([...open.map((a) => a.id)].sort().reverse());
    const shut = ours.find((a) => a.township === fx.township)!;
    await api('POST', `/v1/alerts/${shut.id}/close`, { token: fx.staff, body: { note: '已探访' } });
    const after = await walk('status=open');
    expect(after.map((a) => a.id)).not.toContain(shut.id);
    expect(after.every((a) => a.status === 'open')).toBe(true);
    const closed = await walk('status=closed');
    expect(closed.every((a) => a.status === 'closed')).toBe(true);
    expect(closed.map((a) => a.id)).toContain(shut.id);
    const all = await walk('status=all');
    expect(all.map((a) => a.id)).toEqual(expect.arrayContaining([...after, ...closed].map((a) => a.id)));
    const townshipStaff = await (await import('../support/api.js')).token({ role: 'staff', county: fx.county, township: fx.otherTownship });
    const theirs = await walk('status=open', townshipStaff);
    expect(theirs.map((a) => a.elderId)).toEqual([elders[4]!.id]);
    expect((await walk(`status=all&township=${fx.otherTownship}`)).every((a) => a.township === fx.otherTownship)).toBe(true);
  });
});

describe('an elder reported deceased', () => {
  it('dated today: no bookings or servings from today on, and open bookings from today on are cancelled with their seats freed', async () => {
    const elder = await fx.register();
    const small = await fx.newSite({ slots: { lunch: { capacity: 3, priceFen: 1000, cutoff: '10:00' } } });
    const d1 = addDays(today(), 1);
    const d2 = addDays(today(), 2);
    const b1 = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: small.id, date: d1, slot: 'lunch', mode: 'dine_in' } });
    const b2 = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: small.id, date: d2, slot: 'lunch', mode: 'dine_in' } });
    expect([b1.status, b2.status]).toEqual([201, 201]);

    const r = await api('POST', `/v1/elders/${elder.id}/deceased`, { token: fx.staff, body: { dateOfDeath: today() } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'deceased', dateOfDeath: today() });
    expect((await api('POST', `/v1/elders/${elder.id}/deceased`, { token: fx.staff, body: { dateOfDeath: today() } })).body.error.code).toBe('ALREADY_DECEASED');

    const list = await api('GET', `/v1/bookings?elderId=${elder.id}`, { token: fx.staff });
    expect(list.body.items.map((b: { status: string }) => b.status)).toEqual(['cancelled', 'cancelled']);
    const av = await api('GET', `/v1/meal-sites/${small.id}/availability?date=${d1}`, { token: fx.staff });
    expect(av.body.slots[0]).toMatchObject({ booked: 0, remaining: 3 });
    expect((await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: small.id, date: d1, slot: 'lunch', mode: 'dine_in' } })).body.error.code).toBe('ELDER_DECEASED');
    const s = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: await fx.siteToken(), body: { records: [{ clientRecordId: `dd-${elder.id}`, elderId: elder.id, servedAt: minutesAgo(1), slot: 'lunch', mode: 'dine_in', verifiedBy: 'manual' }] } });
    expect(s.body.results[0].error.code).toBe('ELDER_DECEASED');
  });

  it('refuses a date of death in the future (422 DATE_IN_FUTURE, naming the field)', async () => {
    const elder = await fx.register();
    const r = await api('POST', `/v1/elders/${elder.id}/deceased`, { token: fx.staff, body: { dateOfDeath: addDays(today(), 2) } });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'DATE_IN_FUTURE', details: [{ path: 'dateOfDeath', mustNotBeAfter: today() }] });
  });
});
