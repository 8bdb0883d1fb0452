import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localPlatformSecret } from '../../scripts/local/keys.js';
import { api, countyFixture, newIdNumber } from '../support/api.js';
import { useLocalEnv } from '../support/env.js';
import { addDays, mealsFixture, today } from '../support/meals.js';

/**
 * Issue 10: a death is a date, not a switch; dates that contradict each other are refused.
 * Each refusal is also read back: nothing of the refused command was written.
 */
let fx: Awaited<ReturnType<typeof mealsFixture>>;
beforeAll(async () => {
  fx = await mealsFixture({ effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }] });
});

const cstDateOf = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const DAY = 24 * 60;

const serve = async (elderId: string, servedAt: Date | string, clientRecordId = `r-${randomUUID()}`, slot = 'lunch') => {
  const r = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, {
    token: await fx.siteToken(),
    body: { records: [{ clientRecordId, elderId, servedAt: typeof servedAt === 'string' ? servedAt : servedAt.toISOString(), slot, mode: 'dine_in', verifiedBy: 'card' }] },
  });
  expect(r.status).toBe(200);
  return r.body.results[0];
};
const die = (elderId: string, dateOfDeath: string) => api('POST', `/v1/elders/${elderId}/deceased`, { token: fx.staff, body: { dateOfDeath } });
const elderOf = async (elderId: string) => (await api('GET', `/v1/elders/${elderId}`, { token: fx.staff })).body;
const bookingsOf = async (elderId: string) => (await api('GET', `/v1/bookings?elderId=${elderId}`, { token: fx.staff })).body.items as { id: string; date: string; status: string }[];

/** The event an item carries (the outbox), read straight from the table. */
async function eventOn(table: string, pk: string, sk: string) {
  const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const out = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: sk } } }));
    return out.Item ? unmarshall(out.Item).evt : undefined;
  } finally {
    client.destroy();
  }
}

describe('a death is a date: records before it are the living elder\'s', () => {
  it('the issue\'s example: death today; yesterday\'s lunch at 12:05 uploaded late is accepted with its subsidy, today\'s lunch is refused', async () => {
    const elder = await fx.register();
    expect((await die(elder.id, today())).status).toBe(200);
    const yesterday = addDays(today(), -1);
    const late = await serve(elder.id, `${yesterday}T12:05:00+08:00`);
    expect(late).toMatchObject({ status: 'accepted', subsidyFen: 500, payFen: 1000 });
    const stored = await api('GET', `/v1/meal-sites/${fx.site.id}/servings?date=${yesterday}`, { token: fx.staff });
    expect(stored.body.items.find((s: { id: string }) => s.id === late.servingId)).toMatchObject({ elderId: elder.id, date: yesterday, slot: 'lunch', subsidyFen: 500, status: 'recorded' });

    const now = await serve(elder.id, ago(1));
    expect(now).toMatchObject({ status: 'rejected', error: { code: 'ELDER_DECEASED', details: [{ path: 'servedAt', dateOfDeath: today() }] } });
    // The refused record wrote nothing: it is not listed, and sending it again is refused again.
    const todays = await api('GET', `/v1/meal-sites/${fx.site.id}/servings?date=${today()}&limit=500`, { token: fx.staff });
    expect(todays.body.items.filter((s: { elderId: string }) => s.elderId === elder.id)).toEqual([]);
  });

  it('the anomaly report lists only servings on or after the date of death', async () => {
    const elder = await fx.register();
    const at = [ago(2 * DAY + 10), ago(DAY + 10), ago(10)];
    const served = [];
    for (const t of at) served.push(await serve(elder.id, t));
    expect(served.map((s) => s.status)).toEqual(['accepted', 'accepted', 'accepted']);
    // Reported afterwards, dated the middle meal's day: that meal and the later one are questioned.
    expect((await die(elder.id, cstDateOf(at[1]!))).status).toBe(200);
    const months = [...new Set(at.map((t) => cstDateOf(t).slice(0, 7)))];
    const items = (await Promise.all(months.map(async (m) => (await api('GET', `/v1/reports/meals/anomalies?month=${m}`, { token: fx.staff })).body.items))).flat();
    const mine = items.filter((a: { kind: string; elderId?: string }) => a.kind === 'deceased_elder_served' && a.elderId === elder.id);
    expect(mine.map((a: { servingId: string }) => a.servingId).sort()).toEqual([served[1].servingId, served[2].servingId].sort());
    expect(mine[0]).toMatchObject({ dateOfDeath: cstDateOf(at[1]!) });
  });

  it('a death cancels only the bookings dated from it on; a report with an earlier date corrects it and cancels from the new date', async () => {
    useLocalEnv();
    const { reportDeceased } = await import('../../functions/registry/elders.js');
    const { cancelBookingsFrom } = await import('../../functions/meals/bookings.js');
    const allDay = await fx.newSite({ slots: { dinner: { capacity: 5, priceFen: 1200, cutoff: '23:59' }, lunch: { capacity: 5, priceFen: 1500, cutoff: '10:00' } } });
    const elder = await fx.register();
    const book = async (date: string, slot: string) => {
      const r = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: allDay.id, date, slot, mode: 'dine_in' } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    const d0 = today();
    const [b0, b1, b2] = [await book(d0, 'dinner'), await book(addDays(d0, 1), 'dinner'), await book(addDays(d0, 2), 'lunch')];

    // Reported tomorrow, dated tomorrow (run in-process with tomorrow's clock): today's dinner
    // was the living elder's and stays booked; tomorrow's and later are cancelled, seats freed.
    const tomorrowMorning = new Date(Date.parse(`${addDays(d0, 1)}T08:00:00+08:00`));
    await reportDeceased({ sub: 'staff-dates', role: 'staff', county: fx.county }, elder.id, addDays(d0, 1), tomorrowMorning, cancelBookingsFrom);
    const status = async () => Object.fromEntries((await bookingsOf(elder.id)).map((b) => [b.id, b.status]));
    expect(await status()).toEqual({ [b0]: 'booked', [b1]: 'cancelled', [b2]: 'cancelled' });
    expect((await api('GET', `/v1/meal-sites/${allDay.id}/availability?date=${addDays(d0, 1)}`, { token: fx.staff })).body.slots.find((s: { slot: string }) => s.slot === 'dinner')).toMatchObject({ booked: 0 });
    expect((await api('GET', `/v1/meal-sites/${allDay.id}/availability?date=${d0}`, { token: fx.staff })).body.slots.find((s: { slot: string }) => s.slot === 'dinner')).toMatchObject({ booked: 1 });

    // On today's clock tomorrow is the future: refused, nothing changes.
    const ahead = await die(elder.id, addDays(d0, 1));
    expect(ahead.status).toBe(422);
    expect(ahead.body.error.code).toBe('DATE_IN_FUTURE');
    expect(await status()).toEqual({ [b0]: 'booked', [b1]: 'cancelled', [b2]: 'cancelled' });

    // An earlier date corrects the record, emits elder.deceased with correctedFrom, and
    // cancels from the new date on: today's dinner now.
    const corrected = await die(elder.id, d0);
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ status: 'deceased', dateOfDeath: d0 });
    expect(await eventOn('Registry', `ELDER#${elder.id}`, 'PROFILE')).toMatchObject({ type: 'elder.deceased', data: { elderId: elder.id, dateOfDeath: d0, correctedFrom: addDays(d0, 1) } });
    expect(await status()).toEqual({ [b0]: 'cancelled', [b1]: 'cancelled', [b2]: 'cancelled' });
    expect((await elderOf(elder.id)).dateOfDeath).toBe(d0);

    const again = await die(elder.id, d0);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ALREADY_DECEASED', details: [{ path: 'dateOfDeath', recordedDateOfDeath: d0 }] });
  });

  it('a later date than the one recorded is refused ALREADY_DECEASED with the recorded date, and changes nothing', async () => {
    const elder = await fx.register();
    const earlier = addDays(today(), -3);
    expect((await die(elder.id, earlier)).status).toBe(200);
    const later = await die(elder.id, addDays(today(), -1));
    expect(later.status).toBe(409);
    expect(later.body.error).toMatchObject({ code: 'ALREADY_DECEASED', details: [{ path: 'dateOfDeath', recordedDateOfDeath: earlier }] });
    expect((await elderOf(elder.id)).dateOfDeath).toBe(earlier);
    // Meals before the recorded (earlier) date are still the living elder's; after it, refused.
    expect((await serve(elder.id, ago(4 * DAY))).status).toBe('accepted');
    expect((await serve(elder.id, ago(2 * DAY))).error.code).toBe('ELDER_DECEASED');
  });

  it('reports racing with different dates end on the earliest date, which the last event carries', async () => {
    const elder = await fx.register();
    const dates = [1, 4, 2, 6, 3, 5].map((k) => addDays(today(), -k));
    const replies = await Promise.all(dates.map((d) => die(elder.id, d)));
    expect(replies.every((r) => r.status === 200 || (r.status === 409 && r.body.error.code === 'ALREADY_DECEASED')), JSON.stringify(replies.map((r) => r.body))).toBe(true);
    expect(replies.some((r) => r.status === 200)).toBe(true);
    expect((await elderOf(elder.id)).dateOfDeath).toBe(addDays(today(), -6));
    expect(await eventOn('Registry', `ELDER#${elder.id}`, 'PROFILE')).toMatchObject({ type: 'elder.deceased', data: { dateOfDeath: addDays(today(), -6) } });
  });

  it('a date of death before the birth date or after today is refused, and the elder stays alive', async () => {
    const elder = await fx.register({ idNumber: newIdNumber(fx.county, '19460815') });
    expect(elder.birthDate).toBe('1946-08-15');
    const before = await die(elder.id, '1946-08-14');
    expect(before.status).toBe(422);
    expect(before.body.error).toMatchObject({ code: 'DATE_OUT_OF_ORDER', details: [{ path: 'dateOfDeath', mustNotBeBefore: '1946-08-15' }] });
    const future = await die(elder.id, addDays(today(), 1));
    expect(future.status).toBe(422);
    expect(future.body.error).toMatchObject({ code: 'DATE_IN_FUTURE', details: [{ path: 'dateOfDeath', mustNotBeAfter: today() }] });
    expect(await elderOf(elder.id)).toMatchObject({ status: 'active' });
    expect((await elderOf(elder.id)).dateOfDeath).toBeUndefined();
    // The birth date itself is a possible date of death.
    expect((await die(elder.id, '1946-08-15')).status).toBe(200);
  });

  it('the platform\'s deaths follow the same rules: earlier corrects (applied), same or later is unchanged, future is 422', async () => {
    const secret = localPlatformSecret(inject('localDir'));
    const send = (payload: unknown) => {
      const id = `msg_${randomUUID()}`;
      const at = new Date();
      const body = JSON.stringify(payload);
      return api('POST', '/v1/platform/webhooks', { raw: body, headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) } });
    };
    const idNumber = newIdNumber(fx.county);
    const elder = await fx.register({ idNumber });
    const death = (dateOfDeath: string) => send({ type: 'elder.deceased', county: fx.county, data: { idNumber, dateOfDeath } });
    expect((await death(today())).body).toMatchObject({ status: 'applied', elderId: elder.id });
    expect((await death(addDays(today(), -2))).body).toMatchObject({ status: 'applied', elderId: elder.id });
    expect((await elderOf(elder.id)).dateOfDeath).toBe(addDays(today(), -2));
    expect((await death(addDays(today(), -1))).body).toMatchObject({ status: 'unchanged', elderId: elder.id });
    expect((await death(addDays(today(), -2))).body).toMatchObject({ status: 'unchanged' });
    const future = await death(addDays(today(), 3));
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe('DATE_IN_FUTURE');
    expect((await elderOf(elder.id)).dateOfDeath).toBe(addDays(today(), -2));
  });

  it('a booking for a date on or after the death is refused, and nothing is booked', async () => {
    const elder = await fx.register();
    await die(elder.id, today());
    const r = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: fx.site.id, date: addDays(today(), 1), slot: 'lunch', mode: 'dine_in' } });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'ELDER_DECEASED', details: [{ path: 'date', dateOfDeath: today() }] });
    expect(await bookingsOf(elder.id)).toEqual([]);
  });
});

describe('bookings keep to their window', () => {
  it('a date before today is DATE_IN_PAST and one more than 30 days ahead DATE_IN_FUTURE, both with the window; nothing is booked', async () => {
    const elder = await fx.register();
    const book = (date: string) => api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: fx.site.id, date, slot: 'dinner', mode: 'dine_in' } });
    const window = { mustNotBeBefore: today(), mustNotBeAfter: addDays(today(), 30) };
    const past = await book(addDays(today(), -1));
    expect(past.status).toBe(422);
    expect(past.body.error).toMatchObject({ code: 'DATE_IN_PAST', details: [{ path: 'date', ...window }] });
    const far = await book(addDays(today(), 31));
    expect(far.status).toBe(422);
    expect(far.body.error).toMatchObject({ code: 'DATE_IN_FUTURE', details: [{ path: 'date', ...window }] });
    expect(await bookingsOf(elder.id)).toEqual([]);
    expect((await book(addDays(today(), 30))).status).toBe(201);
  });
});

describe('subsidy policy versions do not re-price meals already priced', () => {
  it('a version before today is DATE_IN_PAST; today is fine once; the version in force today is not replaced; future ones are', async () => {
    const county = await countyFixture();
    const put = (effectiveFrom: string, subsidyFen: number) => api('PUT', '/v1/subsidy-policy', { token: county.staff, body: { effectiveFrom, rules: [{ match: { minAge: 60 }, subsidyFen }] } });
    const inForce = async (date: string) => (await api('GET', `/v1/subsidy-policy?date=${date}`, { token: county.staff })).body;
    // The county's first version may carry the day its policy was adopted.
    expect((await put('2024-01-01', 300)).status).toBe(200);
    const past = await put(addDays(today(), -1), 900);
    expect(past.status).toBe(422);
    expect(past.body.error).toMatchObject({ code: 'DATE_IN_PAST', details: [{ path: 'effectiveFrom', mustNotBeBefore: today() }] });
    expect(await inForce(addDays(today(), -1))).toMatchObject({ effectiveFrom: '2024-01-01', rules: [{ subsidyFen: 300 }] });
    const again = await put('2024-01-01', 999);
    expect(again.status).toBe(422);
    expect(await inForce('2024-06-01')).toMatchObject({ rules: [{ subsidyFen: 300 }] });

    expect((await put(today(), 400)).status).toBe(200);
    const replaceToday = await put(today(), 450);
    expect(replaceToday.status).toBe(422);
    expect(replaceToday.body.error).toMatchObject({ code: 'DATE_IN_PAST', details: [{ path: 'effectiveFrom', mustNotBeBefore: addDays(today(), 1) }] });
    expect(await inForce(today())).toMatchObject({ effectiveFrom: today(), rules: [{ subsidyFen: 400 }] });

    const next = addDays(today(), 10);
    expect((await put(next, 600)).status).toBe(200);
    expect((await put(next, 650)).status).toBe(200);
    expect(await inForce(next)).toMatchObject({ rules: [{ subsidyFen: 650 }] });
  });
});

describe('bed dates', () => {
  let instId: string;
  let beds: { id: string; label: string }[];
  beforeAll(async () => {
    const inst = await api('POST', '/v1/institutions', { token: fx.staff, body: { name: '日期敬老院', township: fx.township, kind: 'welfare_home' } });
    instId = inst.body.id;
    const r = await api('POST', `/v1/institutions/${instId}/beds`, { token: fx.staff, body: { beds: Array.from({ length: 12 }, (_, i) => ({ label: `D-${i + 1}`, careType: 'nursing' })) } });
    beds = r.body.items;
  });
  const bed = async (id: string) => (await api('GET', `/v1/institutions/${instId}/beds`, { token: fx.staff })).body.items.find((b: { id: string }) => b.id === id);
  const occupied = async () => (await api('GET', `/v1/occupancy?institutionId=${instId}`, { token: fx.staff })).body.occupied as number;
  const admit = (bedId: string, elderId: string, admittedAt: Date | string) => api('POST', `/v1/institutions/${instId}/admissions`, { token: fx.staff, body: { bedId, elderId, admittedAt: typeof admittedAt === 'string' ? admittedAt : admittedAt.toISOString() } });
  const discharge = (elderId: string, dischargedAt: Date) => api('POST', `/v1/institutions/${instId}/discharges`, { token: fx.staff, body: { elderId, dischargedAt: dischargedAt.toISOString(), reason: '回家' } });

  it('an admission dated 30 days ahead is DATE_IN_FUTURE and the bed stays vacant; a late entry is admitted and the bed is occupied now', async () => {
    const elder = await fx.register();
    const before = await occupied();
    const future = await admit(beds[0]!.id, elder.id, new Date(Date.now() + 30 * 86_400_000));
    expect(future.status).toBe(422);
    expect(future.body.error).toMatchObject({ code: 'DATE_IN_FUTURE', details: [{ path: 'admittedAt' }] });
    expect(await bed(beds[0]!.id)).toMatchObject({ status: 'vacant' });
    expect(await bed(beds[0]!.id)).not.toHaveProperty('occupant');
    expect(await occupied()).toBe(before);
    const lateEntry = ago(10 * DAY);
    const ok = await admit(beds[0]!.id, elder.id, lateEntry);
    expect(ok.status).toBe(201);
    expect(ok.body.since).toBe(lateEntry.toISOString());
    expect(await bed(beds[0]!.id)).toMatchObject({ status: 'occupied', occupant: { elderId: elder.id, since: lateEntry.toISOString() } });
    expect(await occupied()).toBe(before + 1);
    // 4 minutes ahead is clock drift, not the future.
    const drift = await admit(beds[1]!.id, (await fx.register()).id, new Date(Date.now() + 4 * 60_000));
    expect(drift.status).toBe(201);
  });

  it('an admission before the elder\'s birth is DATE_OUT_OF_ORDER', async () => {
    const elder = await fx.register({ idNumber: newIdNumber(fx.county, '19460815') });
    const r = await admit(beds[2]!.id, elder.id, '1946-08-14T10:00:00+08:00');
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'DATE_OUT_OF_ORDER', details: [{ path: 'admittedAt', mustNotBeBefore: '1946-08-15' }] });
    expect(await bed(beds[2]!.id)).toMatchObject({ status: 'vacant' });
  });

  it('a discharge dated before the admission is DATE_OUT_OF_ORDER and the elder stays resident; one in the future is DATE_IN_FUTURE', async () => {
    const elder = await fx.register();
    const admittedAt = ago(DAY);
    expect((await admit(beds[3]!.id, elder.id, admittedAt)).status).toBe(201);
    const early = await discharge(elder.id, ago(4 * DAY));
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'DATE_OUT_OF_ORDER', details: [{ path: 'dischargedAt', mustNotBeBefore: expect.stringContaining('+08:00') }] });
    const future = await discharge(elder.id, new Date(Date.now() + 3 * 86_400_000));
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe('DATE_IN_FUTURE');
    expect(await bed(beds[3]!.id)).toMatchObject({ status: 'occupied', occupant: { elderId: elder.id, since: admittedAt.toISOString() } });
    // Still resident: a second admission is refused as such, and a discharge now works.
    expect((await admit(beds[4]!.id, elder.id, ago(1))).body.error.code).toBe('ELDER_ALREADY_ADMITTED');
    const leftAt = ago(1);
    const out = await discharge(elder.id, leftAt);
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ status: 'vacant', vacantSince: leftAt.toISOString() });
  });

  it('a transfer dated before the admission is DATE_OUT_OF_ORDER, ahead of now DATE_IN_FUTURE; the elder stays in the first bed', async () => {
    const elder = await fx.register();
    const admittedAt = ago(2 * DAY);
    expect((await admit(beds[5]!.id, elder.id, admittedAt)).status).toBe(201);
    const move = (transferredAt?: Date) => api('POST', `/v1/institutions/${instId}/transfers`, { token: fx.staff, body: { elderId: elder.id, toBedId: beds[6]!.id, ...(transferredAt && { transferredAt: transferredAt.toISOString() }) } });
    const early = await move(ago(3 * DAY));
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'DATE_OUT_OF_ORDER', details: [{ path: 'transferredAt' }] });
    const future = await move(new Date(Date.now() + DAY * 60_000)); // tomorrow
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe('DATE_IN_FUTURE');
    expect(await bed(beds[5]!.id)).toMatchObject({ status: 'occupied', occupant: { elderId: elder.id } });
    expect(await bed(beds[6]!.id)).toMatchObject({ status: 'vacant' });
    // A late-entered transfer between the admission and now is fine, and dates the residence.
    const movedAt = ago(DAY);
    const ok = await move(movedAt);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ bedId: beds[6]!.id, since: movedAt.toISOString() });
    expect(await bed(beds[5]!.id)).toMatchObject({ status: 'vacant', vacantSince: movedAt.toISOString() });
    // The discharge may not precede the transfer now.
    expect((await discharge(elder.id, ago(DAY + 60))).body.error.code).toBe('DATE_OUT_OF_ORDER');
  });

  it('nobody is admitted to a bed before its last occupant left, nor re-admitted before their own discharge', async () => {
    const [a, b] = [await fx.register(), await fx.register()];
    expect((await admit(beds[7]!.id, a.id, ago(5 * DAY))).status).toBe(201);
    const leftAt = ago(2 * DAY);
    expect((await discharge(a.id, leftAt)).status).toBe(200);
    const intoBed = await admit(beds[7]!.id, b.id, ago(3 * DAY));
    expect(intoBed.status).toBe(422);
    expect(intoBed.body.error).toMatchObject({ code: 'DATE_OUT_OF_ORDER', details: [{ path: 'admittedAt' }] });
    expect(intoBed.body.error.details[0].message).toContain('last occupant');
    const readmit = await admit(beds[8]!.id, a.id, ago(3 * DAY));
    expect(readmit.status).toBe(422);
    expect(readmit.body.error.details[0].message).toContain('last discharge');
    expect(await bed(beds[8]!.id)).toMatchObject({ status: 'vacant' });
    expect((await admit(beds[8]!.id, a.id, leftAt)).status).toBe(201);
    expect((await admit(beds[7]!.id, b.id, ago(1))).status).toBe(201);
  });

  it('a deceased elder is not admitted, transferred or given a home care bed, whatever the date; a resident who died is discharged', async () => {
    const [gone, resident] = [await fx.register(), await fx.register()];
    await die(gone.id, addDays(today(), -1));
    const r = await admit(beds[9]!.id, gone.id, ago(5 * DAY));
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'ELDER_DECEASED', details: [{ path: 'elderId', dateOfDeath: addDays(today(), -1) }] });
    expect(await bed(beds[9]!.id)).toMatchObject({ status: 'vacant' });
    const home = await api('POST', '/v1/home-care-beds', { token: fx.staff, body: { elderId: gone.id, institutionId: instId, address: '家中', startedAt: addDays(today(), -5) } });
    expect(home.status).toBe(422);
    expect(home.body.error.code).toBe('ELDER_DECEASED');

    expect((await admit(beds[9]!.id, resident.id, ago(5 * DAY))).status).toBe(201);
    await die(resident.id, today());
    const moved = await api('POST', `/v1/institutions/${instId}/transfers`, { token: fx.staff, body: { elderId: resident.id, toBedId: beds[10]!.id } });
    expect(moved.status).toBe(422);
    expect(moved.body.error.code).toBe('ELDER_DECEASED');
    expect(await bed(beds[10]!.id)).toMatchObject({ status: 'vacant' });
    expect((await discharge(resident.id, ago(1))).status).toBe(200);
  });

  it('home care beds: closed before they started is DATE_OUT_OF_ORDER (still open), in the future DATE_IN_FUTURE; no new one starts before the last closed', async () => {
    const elder = await fx.register();
    const homeCare = async () => (await api('GET', `/v1/occupancy?institutionId=${instId}`, { token: fx.staff })).body.homeCareBeds as number;
    const open = (startedAt: string) => api('POST', '/v1/home-care-beds', { token: fx.staff, body: { elderId: elder.id, institutionId: instId, address: '城关镇人民路 9 号', startedAt } });
    const before = await homeCare();
    const ahead = await open(addDays(today(), 1));
    expect(ahead.status).toBe(422);
    expect(ahead.body.error).toMatchObject({ code: 'DATE_IN_FUTURE', details: [{ path: 'startedAt', mustNotBeAfter: today() }] });
    expect(await homeCare()).toBe(before);
    const started = addDays(today(), -10);
    const h = await open(started);
    expect(h.status).toBe(201);
    const close = (closedAt: string) => api('POST', `/v1/home-care-beds/${h.body.id}/close`, { token: fx.staff, body: { closedAt } });
    const early = await close(addDays(started, -3));
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'DATE_OUT_OF_ORDER', details: [{ path: 'closedAt', mustNotBeBefore: started }] });
    expect((await close(addDays(today(), 2))).body.error.code).toBe('DATE_IN_FUTURE');
    expect(await homeCare()).toBe(before + 1);
    const closedAt = addDays(today(), -4);
    expect((await close(closedAt)).body).toMatchObject({ status: 'closed', closedAt });
    expect(await homeCare()).toBe(before);
    const overlap = await open(addDays(today(), -6));
    expect(overlap.status).toBe(422);
    expect(overlap.body.error).toMatchObject({ code: 'DATE_OUT_OF_ORDER', details: [{ path: 'startedAt', mustNotBeBefore: closedAt }] });
    expect(await homeCare()).toBe(before);
    expect((await open(closedAt)).status).toBe(201);
  });
});
