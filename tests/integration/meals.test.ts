import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { kitchenList } from '../../shared/schemas/meals.js';
import { api, newIdNumber } from '../support/api.js';
import { addDays, mealsFixture, today } from '../support/meals.js';

let fx: Awaited<ReturnType<typeof mealsFixture>>;
beforeAll(async () => {
  fx = await mealsFixture();
});

const isoMinutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** Every item of a list, walked page by page with `limit`. */
async function walk(path: string, token: string, limit: number) {
  const items: any[] = [];
  let next: string | undefined;
  do {
    const r = await api('GET', `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...r.body.items);
    next = r.body.nextToken;
  } while (next);
  return items;
}

describe('meal sites, menus and policy', () => {
  it('lists, reads and reports availability', async () => {
    const list = await api('GET', `/v1/meal-sites?township=${fx.township}`, { token: fx.staff });
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(fx.site.id);
    const family = await fx.family((await fx.register()).id);
    const one = await api('GET', `/v1/meal-sites/${fx.site.id}`, { token: family });
    expect(one.body).toMatchObject({ id: fx.site.id, kind: 'canteen', delivery: true, county: fx.county });
    const av = await api('GET', `/v1/meal-sites/${fx.site.id}/availability?date=${addDays(today(), 1)}`, { token: family });
    expect(av.body.slots).toEqual(expect.arrayContaining([expect.objectContaining({ slot: 'lunch', capacity: 100, booked: 0, remaining: 100, priceFen: 1500, open: true })]));
  });

  it('refuses a site without slots, naming the field', async () => {
    const r = await api('POST', '/v1/meal-sites', { token: fx.staff, body: { name: 'x', township: fx.township, kind: 'canteen', address: 'a', delivery: false, slots: {} } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('slots');
  });

  it('keeps menus per site and date, readable by any role', async () => {
    const date = addDays(today(), 2);
    const site = await fx.siteToken();
    const put = await api('PUT', `/v1/meal-sites/${fx.site.id}/menus/${date}`, { token: site, body: { slots: { lunch: [{ name: '清蒸鱼', tags: ['soft'] }, { name: '青菜' }] } } });
    expect(put.status).toBe(200);
    const family = await fx.family((await fx.register()).id);
    const got = await api('GET', `/v1/meal-sites/${fx.site.id}/menus/${date}`, { token: family });
    expect(got.body.slots.lunch[0].name).toBe('清蒸鱼');
    expect((await api('GET', `/v1/meal-sites/${fx.site.id}/menus/${addDays(date, 1)}`, { token: family })).status).toBe(404);
  });

  it('versions the subsidy policy by effective date', async () => {
    const later = addDays(today(), 10);
    await api('PUT', '/v1/subsidy-policy', { token: fx.staff, body: { effectiveFrom: later, rules: [{ match: { minAge: 60 }, subsidyFen: 800 }] } });
    expect((await api('GET', `/v1/subsidy-policy?date=${today()}`, { token: fx.staff })).body.rules[0].subsidyFen).toBe(500);
    expect((await api('GET', `/v1/subsidy-policy?date=${later}`, { token: fx.staff })).body.rules[0].subsidyFen).toBe(800);
  });
});

describe('bookings', () => {
  it('a family books for its elder and sees price, subsidy and what it pays', async () => {
    const elder = await fx.register();
    const family = await fx.family(elder.id);
    const r = await api('POST', '/v1/bookings', { token: family, body: { elderId: elder.id, siteId: fx.site.id, date: addDays(today(), 1), slot: 'lunch', mode: 'delivery', deliveryAddress: '人民路 5 号 2 楼' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'booked', priceFen: 1500, subsidyFen: 500, payFen: 1000 });
    const again = await api('POST', '/v1/bookings', { token: family, body: { elderId: elder.id, siteId: fx.site.id, date: addDays(today(), 1), slot: 'lunch', mode: 'dine_in' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_BOOKED');
    const list = await api('GET', `/v1/bookings?elderId=${elder.id}`, { token: family });
    expect(list.body.items.map((b: { id: string }) => b.id)).toEqual([r.body.id]);
  });

  it('an elder\'s bookings page newest date first; a slot booked again after a cancel lists each booking once', async () => {
    const elder = await fx.register();
    const dates = [1, 2, 3].map((d) => addDays(today(), d));
    const book = async (date: string) => (await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: fx.site.id, date, slot: 'lunch', mode: 'dine_in' } })).body.id as string;
    const made = [];
    for (const d of dates) made.push(await book(d));
    // The middle slot's guard then holds two booking ids.
    expect((await api('POST', `/v1/bookings/${made[1]}/cancel`, { token: fx.staff })).status).toBe(200);
    made.push(await book(dates[1]!));
    for (const limit of [1, 2, 3, 50]) {
      const all = await walk(`/v1/bookings?elderId=${elder.id}`, fx.staff, limit);
      expect(all.map((b) => b.id).sort()).toEqual([...made].sort());
      expect(all.map((b) => b.date)).toEqual([dates[2], dates[1], dates[1], dates[0]]);
      // Within the slot, the newest booking first.
      expect(all.slice(1, 3).map((b) => b.status)).toEqual(['booked', 'cancelled']);
    }
  });

  it('refuses delivery where none is offered, slots not served, and past cutoffs', async () => {
    const noDelivery = await fx.newSite({ delivery: false, slots: { lunch: { capacity: 5, priceFen: 1000, cutoff: '10:00' } } });
    const elder = await fx.register();
    const book = (body: Record<string, unknown>) => api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: noDelivery.id, date: addDays(today(), 1), slot: 'lunch', mode: 'dine_in', ...body } });
    expect((await book({ mode: 'delivery', deliveryAddress: 'x' })).body.error.code).toBe('DELIVERY_NOT_OFFERED');
    expect((await book({ slot: 'dinner' })).body.error.code).toBe('SLOT_NOT_OFFERED');
    // A day already gone is outside the booking window; today, after the cutoff, is CUTOFF_PASSED.
    const past = await book({ date: addDays(today(), -1) });
    expect(past.status).toBe(422);
    expect(past.body.error).toMatchObject({ code: 'DATE_IN_PAST', details: [{ path: 'date', mustNotBeBefore: today() }] });
    const midnight = await fx.newSite({ slots: { lunch: { capacity: 5, priceFen: 1000, cutoff: '00:00' } } });
    const closed = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: midnight.id, date: today(), slot: 'lunch', mode: 'dine_in' } });
    expect(closed.status).toBe(422);
    expect(closed.body.error.code).toBe('CUTOFF_PASSED');
    expect((await book({ mode: 'delivery' })).body.error.details[0].path).toBe('deliveryAddress');
  });

  it('a family not linked to the elder may not book', async () => {
    const elder = await fx.register();
    const stranger = await fx.family((await fx.register()).id);
    const r = await api('POST', '/v1/bookings', { token: stranger, body: { elderId: elder.id, siteId: fx.site.id, date: addDays(today(), 1), slot: 'lunch', mode: 'dine_in' } });
    expect(r.status).toBe(403);
  });

  it('50 parallel bookings for 10 seats: exactly 10 succeed, 40 SLOT_FULL; a cancel frees one seat', async () => {
    const small = await fx.newSite({ slots: { lunch: { capacity: 10, priceFen: 1200, cutoff: '10:00' } } });
    const elders = await Promise.all(Array.from({ length: 50 }, () => fx.register()));
    const date = addDays(today(), 1);
    const replies = await Promise.all(elders.map((e) => api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: e.id, siteId: small.id, date, slot: 'lunch', mode: 'dine_in' } })));
    const ok = replies.filter((r) => r.status === 201);
    expect(ok).toHaveLength(10);
    expect(replies.filter((r) => r.status === 409 && r.body.error.code === 'SLOT_FULL')).toHaveLength(40);
    const av = await api('GET', `/v1/meal-sites/${small.id}/availability?date=${date}`, { token: fx.staff });
    expect(av.body.slots[0]).toMatchObject({ capacity: 10, booked: 10, remaining: 0 });
    const cancel = await api('POST', `/v1/bookings/${ok[0]!.body.id}/cancel`, { token: fx.staff });
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    expect((await api('POST', `/v1/bookings/${ok[0]!.body.id}/cancel`, { token: fx.staff })).body.error.code).toBe('NOT_CANCELLABLE');
    const after = await api('GET', `/v1/meal-sites/${small.id}/availability?date=${date}`, { token: fx.staff });
    expect(after.body.slots[0]).toMatchObject({ booked: 9, remaining: 1 });
    // The elder whose booking was cancelled can book that slot again.
    const rebook = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: ok[0]!.body.elderId, siteId: small.id, date, slot: 'lunch', mode: 'pickup' } });
    expect(rebook.status).toBe(201);
    const kitchen = await api('GET', `/v1/meal-sites/${small.id}/bookings?date=${date}`, { token: await fx.siteToken(small.id) });
    expect(kitchen.body.slots[0]).toMatchObject({ slot: 'lunch', booked: 10, byMode: { dine_in: 9, pickup: 1, delivery: 0 } });
    // No booking without its seat, no seat without its booking: the counter is a recount.
    expect(kitchen.body.bookings.filter((b: { status: string }) => b.status === 'booked')).toHaveLength(kitchen.body.slots[0].booked);
    expect(kitchen.body.bookings.filter((b: { status: string }) => b.status === 'cancelled')).toHaveLength(1);
  });

  it('the kitchen list shows deliveries with addresses and dietary needs, only to its site', async () => {
    const elder = await fx.register({ dietaryNeeds: ['diabetic', 'soft'] });
    const date = addDays(today(), 3);
    await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: fx.site.id, date, slot: 'dinner', mode: 'delivery', deliveryAddress: '东街 8 号' } });
    const list = await api('GET', `/v1/meal-sites/${fx.site.id}/bookings?date=${date}`, { token: await fx.siteToken() });
    expect(list.body.deliveries).toEqual([expect.objectContaining({ slot: 'dinner', address: '东街 8 号', dietaryNeeds: ['diabetic', 'soft'] })]);
    // Every need is listed, zeros too (the KitchenList schema requires each key), in every slot.
    expect(list.body.slots.find((s: { slot: string }) => s.slot === 'dinner').byDietaryNeed).toEqual({ diabetic: 1, low_salt: 0, soft: 1, minced: 0, halal: 0, vegetarian: 0 });
    expect(list.body.slots.find((s: { slot: string }) => s.slot === 'lunch').byDietaryNeed).toEqual({ diabetic: 0, low_salt: 0, soft: 0, minced: 0, halal: 0, vegetarian: 0 });
    expect(kitchenList.safeParse(list.body).success).toBe(true);
    // The counter's pick list: who each live booking is for (the name the site already sees).
    const booked = list.body.bookings.find((b: { elderId: string }) => b.elderId === elder.id);
    expect(list.body.elders).toContainEqual({ bookingId: booked.id, elderName: '王秀英', dietaryNeeds: ['diabetic', 'soft'] });
    const other = await fx.newSite();
    expect((await api('GET', `/v1/meal-sites/${fx.site.id}/bookings?date=${date}`, { token: await fx.siteToken(other.id) })).status).toBe(403);
  });
});

describe('servings', () => {
  it('computes the subsidy on the server; a second meal in the slot is accepted at full price', async () => {
    const elder = await fx.register();
    const site = await fx.siteToken();
    const servedAt = isoMinutesAgo(30);
    const r = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, {
      token: site,
      body: { records: [
        { clientRecordId: `a-${elder.id}`, elderId: elder.id, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'face', subsidyFen: 99999 },
        { clientRecordId: `b-${elder.id}`, elderId: elder.id, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'face' },
      ] },
    });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      expect.objectContaining({ clientRecordId: `a-${elder.id}`, status: 'accepted', priceFen: 1500, subsidyFen: 500, payFen: 1000 }),
      expect.objectContaining({ clientRecordId: `b-${elder.id}`, status: 'accepted', subsidyFen: 0, payFen: 1500 }),
    ]);
  });

  it('the same elder served at two sites in the same slot at the same moment: exactly one subsidy', async () => {
    const siteB = await fx.newSite();
    const [tA, tB] = [await fx.siteToken(), await fx.siteToken(siteB.id)];
    for (let round = 0; round < 5; round++) {
      const elder = await fx.register();
      const servedAt = isoMinutesAgo(10);
      const send = (siteId: string, t: string) => api('POST', `/v1/meal-sites/${siteId}/servings`, { token: t, body: { records: [{ clientRecordId: `r${round}-${siteId}`, elderId: elder.id, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }] } });
      const [a, b] = await Promise.all([send(fx.site.id, tA), send(siteB.id, tB)]);
      const results = [a.body.results[0], b.body.results[0]];
      expect(results.every((x) => x.status === 'accepted')).toBe(true);
      expect(results.map((x) => x.subsidyFen).sort()).toEqual([0, 500]);
    }
  });

  it('a batch of 200 with bad records: good ones stored, bad ones rejected with a reason, in order; resent: all duplicate', async () => {
    const elders = await Promise.all(Array.from({ length: 20 }, () => fx.register()));
    const site = await fx.newSite();
    const t = await fx.siteToken(site.id);
    const now = Date.now();
    const records = Array.from({ length: 200 }, (_, i) => {
      const base = { clientRecordId: `batch-${site.id}-${i}`, elderId: elders[i % 20]!.id, servedAt: new Date(now - (i + 1) * 60_000).toISOString(), mode: 'dine_in', verifiedBy: 'card' };
      if (i % 50 === 7) return { ...base, servedAt: new Date(now + 3600_000).toISOString() }; // future
      if (i % 50 === 13) return { ...base, elderId: 'eld_nobody' }; // unknown elder
      if (i % 50 === 21) return { ...base, mode: 'teleport' }; // invalid
      if (i % 50 === 33) return { ...base, servedAt: new Date(now - 8 * 86_400_000).toISOString() }; // too late
      return base;
    });
    const first = await api('POST', `/v1/meal-sites/${site.id}/servings`, { token: t, body: { records } });
    expect(first.status).toBe(200);
    expect(first.body.results.map((x: { clientRecordId: string }) => x.clientRecordId)).toEqual(records.map((x) => x.clientRecordId));
    const codeAt = (i: number) => first.body.results[i].error?.code;
    expect([codeAt(7), codeAt(13), codeAt(21), codeAt(33)]).toEqual(['SERVED_AT_IN_FUTURE', 'ELDER_NOT_FOUND', 'VALIDATION_FAILED', 'TOO_LATE']);
    expect(first.body.results[21].error.details[0].path).toBe('mode');
    const accepted = first.body.results.filter((x: { status: string }) => x.status === 'accepted');
    expect(accepted).toHaveLength(184);

    const dates = [...new Set(records.map((r) => new Date(Date.parse(r.servedAt) + 8 * 3600_000).toISOString().slice(0, 10)))];
    const count = async () => {
      let n = 0;
      let subsidy = 0;
      for (const d of dates) {
        const l = await api('GET', `/v1/meal-sites/${site.id}/servings?date=${d}&limit=500`, { token: t });
        n += l.body.items.length;
        subsidy += l.body.items.reduce((s: number, x: { subsidyFen: number }) => s + x.subsidyFen, 0);
      }
      return { n, subsidy };
    };
    const before = await count();
    expect(before.n).toBe(184);

    const again = await api('POST', `/v1/meal-sites/${site.id}/servings`, { token: t, body: { records } });
    const statuses = again.body.results.map((x: { status: string }) => x.status);
    expect(statuses.filter((s: string) => s === 'duplicate')).toHaveLength(184);
    for (const [i, r] of again.body.results.entries()) {
      if (r.status === 'duplicate') expect(r.servingId).toBe(first.body.results[i].servingId);
    }
    expect(await count()).toEqual(before);
  });

  it('a site\'s servings of a day page by clientRecordId, each once, only that site\'s', async () => {
    const site = await fx.newSite();
    const t = await fx.siteToken(site.id);
    const servedAt = isoMinutesAgo(3);
    const elders = await Promise.all(Array.from({ length: 5 }, () => fx.register()));
    const records = elders.map((e, i) => ({ clientRecordId: `walk-${4 - i}`, elderId: e.id, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }));
    await api('POST', `/v1/meal-sites/${site.id}/servings`, { token: t, body: { records } });
    const date = new Date(Date.parse(servedAt) + 8 * 3600_000).toISOString().slice(0, 10);
    for (const limit of [1, 2, 5]) {
      const all = await walk(`/v1/meal-sites/${site.id}/servings?date=${date}`, t, limit);
      expect(all.map((x) => x.clientRecordId)).toEqual(['walk-0', 'walk-1', 'walk-2', 'walk-3', 'walk-4']);
      expect(all.every((x) => x.siteId === site.id)).toBe(true);
    }
  });

  it('rejects an over-long batch as a whole, and a record without clientRecordId', async () => {
    const t = await fx.siteToken();
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ clientRecordId: `x${i}` }));
    expect((await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: t, body: { records: tooMany } })).status).toBe(400);
    const r = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: t, body: { records: [{ elderId: 'x' }] } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('records.0.clientRecordId');
  });

  it('identifies elders by card number or ID number too', async () => {
    const idNumber = newIdNumber(fx.county);
    const elder = await fx.register({ idNumber, cardNo: `MC-${fx.county}-77` });
    const t = await fx.siteToken();
    const r = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: t, body: { records: [
      { clientRecordId: `card-${elder.id}`, cardNo: `MC-${fx.county}-77`, servedAt: isoMinutesAgo(5), slot: 'dinner', mode: 'dine_in', verifiedBy: 'card' },
      { clientRecordId: `id-${elder.id}`, idNumber, servedAt: isoMinutesAgo(5), slot: 'breakfast', mode: 'pickup', verifiedBy: 'id_card' },
    ] } });
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'accepted']);
  });

  it('counts a meal served at 23:30 UTC on the next day in China Standard Time', async () => {
    const elder = await fx.register();
    const utcYesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const servedAt = `${utcYesterday}T23:30:00Z`; // 07:30 CST the next day: breakfast
    const t = await fx.siteToken();
    const r = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: t, body: { records: [{ clientRecordId: `late-${elder.id}`, elderId: elder.id, servedAt, mode: 'dine_in', verifiedBy: 'face' }] } });
    expect(r.body.results[0].status).toBe('accepted');
    const nextDay = addDays(utcYesterday, 1);
    const list = await api('GET', `/v1/meal-sites/${fx.site.id}/servings?date=${nextDay}`, { token: t });
    expect(list.body.items.find((s: { elderId: string }) => s.elderId === elder.id)).toMatchObject({ date: nextDay, slot: 'breakfast' });
  });

  it('a serving for a booked elder marks the booking served, at the booked price', async () => {
    // Cutoffs at 23:59 let a booking for today be made at any hour the test runs.
    const late = await fx.newSite({ slots: { breakfast: { capacity: 5, priceFen: 900, cutoff: '23:59' }, lunch: { capacity: 5, priceFen: 900, cutoff: '23:59' }, dinner: { capacity: 5, priceFen: 900, cutoff: '23:59' } } });
    const elder = await fx.register();
    const booking = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: late.id, date: today(), slot: 'dinner', mode: 'dine_in' } });
    expect(booking.status).toBe(201);
    const served = await api('POST', `/v1/meal-sites/${late.id}/servings`, { token: await fx.siteToken(late.id), body: { records: [
      { clientRecordId: `bk-${elder.id}`, elderId: elder.id, servedAt: new Date().toISOString(), slot: 'dinner', mode: 'dine_in', verifiedBy: 'face' },
    ] } });
    expect(served.body.results[0]).toMatchObject({ status: 'accepted', priceFen: 900, subsidyFen: 500 });
    const list = await api('GET', `/v1/bookings?elderId=${elder.id}`, { token: fx.staff });
    expect(list.body.items[0]).toMatchObject({ id: booking.body.id, status: 'served' });
    const servings = await api('GET', `/v1/meal-sites/${late.id}/servings?date=${today()}`, { token: fx.staff });
    expect(servings.body.items[0].bookingId).toBe(booking.body.id);
    // A served booking can't be cancelled.
    expect((await api('POST', `/v1/bookings/${booking.body.id}/cancel`, { token: fx.staff })).body.error.code).toBe('NOT_CANCELLABLE');
  });

  it('voiding reverses the subsidy and keeps the record with who and why', async () => {
    const elder = await fx.register();
    const t = await fx.siteToken();
    const servedAt = isoMinutesAgo(20);
    const first = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: t, body: { records: [{ clientRecordId: `v1-${elder.id}`, elderId: elder.id, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'manual' }] } });
    const id = first.body.results[0].servingId;
    expect(first.body.results[0].subsidyFen).toBe(500);
    const v = await api('POST', `/v1/servings/${id}/void`, { token: t, body: { reason: '误刷卡' } });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ status: 'voided', subsidyFen: 500, voided: { by: `site:device-${fx.site.id}`, reason: '误刷卡' } });
    expect((await api('POST', `/v1/servings/${id}/void`, { token: t, body: { reason: '再次' } })).body.error.code).toBe('ALREADY_VOIDED');
    // The slot's subsidy is free again: the real meal, recorded now, is subsidised.
    const real = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: t, body: { records: [{ clientRecordId: `v2-${elder.id}`, elderId: elder.id, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'face' }] } });
    expect(real.body.results[0].subsidyFen).toBe(500);
  });

  it('an elder marked deceased before dates were kept (no dateOfDeath) is refused on every date', async () => {
    const elder = await fx.register();
    const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await client.send(new UpdateItemCommand({ TableName: 'Registry', Key: { pk: { S: `ELDER#${elder.id}` }, sk: { S: 'PROFILE' } }, UpdateExpression: 'SET #s = :d', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':d': { S: 'deceased' } } }));
    client.destroy();
    const r = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: await fx.siteToken(), body: { records: [{ clientRecordId: `dead-${elder.id}`, elderId: elder.id, servedAt: isoMinutesAgo(1), slot: 'lunch', mode: 'dine_in', verifiedBy: 'manual' }] } });
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'ELDER_DECEASED' } });
    const b = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: fx.site.id, date: addDays(today(), 1), slot: 'lunch', mode: 'dine_in' } });
    expect(b.body.error.code).toBe('ELDER_DECEASED');
  });

  it('only the site itself records servings', async () => {
    const other = await fx.newSite();
    const r = await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: await fx.siteToken(other.id), body: { records: [{ clientRecordId: 'x' }] } });
    expect(r.status).toBe(403);
    expect((await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: fx.staff, body: { records: [{ clientRecordId: 'x' }] } })).status).toBe(403);
  });
});
