import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.js';
import { addDays, mealsFixture, today } from '../support/meals.js';

/**
 * Lowering a meal site's capacity while bookings arrive (issue 14, item 7). The capacity check
 * and the bookings are serialised on the site item and the seat counters (store/sites.ts,
 * store/bookings.ts); DynamoDB Local runs transactions one at a time, as the service
 * serialises conflicting ones, so what is tested here is the decision logic under arbitrary
 * interleavings: whatever order they land in, no date ends with more seats booked than its
 * capacity, and each counter equals a recount of the bookings.
 */
let fx: Awaited<ReturnType<typeof mealsFixture>>;
let elders: { id: string }[];
beforeAll(async () => {
  fx = await mealsFixture();
  elders = [];
  for (let i = 0; i < 24; i++) elders.push(await fx.register());
});

async function invariants(siteId: string, dates: readonly string[]) {
  const site = (await api('GET', `/v1/meal-sites/${siteId}`, { token: fx.staff })).body;
  for (const date of dates) {
    const kitchen = (await api('GET', `/v1/meal-sites/${siteId}/bookings?date=${date}`, { token: fx.staff })).body;
    const lunch = kitchen.slots.find((s: { slot: string }) => s.slot === 'lunch');
    const recount = kitchen.bookings.filter((b: { status: string; slot: string }) => b.slot === 'lunch' && b.status === 'booked').length;
    expect(lunch.booked, `${date}: counter equals a recount`).toBe(recount);
    expect(lunch.booked, `${date}: booked <= capacity ${site.slots.lunch.capacity}`).toBeLessThanOrEqual(site.slots.lunch.capacity);
  }
  return site.slots.lunch.capacity as number;
}

describe('capacity lowered while bookings arrive', () => {
  it.each([
    ['lowered once, mid-stream', [12], 1],
    ['lowered, raised and lowered again', [10, 18, 8], 4],
  ])('%s: booked <= capacity on every date, counters equal a recount', async (_name, capacities, firstDay) => {
    const site = await fx.newSite({ slots: { lunch: { capacity: 30, priceFen: 1500, cutoff: '23:59' } } });
    // Dates of their own: the same elders book in every case.
    const dates = [addDays(today(), firstDay), addDays(today(), firstDay + 1)];
    // Four seats already booked on the first date.
    for (const e of elders.slice(20, 24)) expect((await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: e.id, siteId: site.id, date: dates[0], slot: 'lunch', mode: 'dine_in' } })).status).toBe(201);
    const bookings = elders.slice(0, 20).map((e, i) => api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: e.id, siteId: site.id, date: dates[i % 2], slot: 'lunch', mode: 'dine_in' } }));
    const changes = capacities.map((capacity, k) => new Promise((ok) => setTimeout(ok, 5 + 10 * k)).then(() => api('PATCH', `/v1/meal-sites/${site.id}`, { token: fx.staff, body: { slots: { lunch: { capacity } } } })));
    const [booked, changed] = await Promise.all([Promise.all(bookings), Promise.all(changes)]);
    for (const r of booked) {
      expect([201, 409], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 409) expect(r.body.error.code).toBe('SLOT_FULL');
    }
    for (const r of changed) {
      expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 409) {
        expect(r.body.error.code).toBe('CAPACITY_BELOW_BOOKED');
        for (const d of r.body.error.details) expect(d.booked).toBeGreaterThan(0);
      }
    }
    const capacity = await invariants(site.id, dates);
    // The capacity in force is the last change that was accepted, or the first one.
    const accepted = changed.map((r, k) => (r.status === 200 ? capacities[k] : undefined)).filter((c) => c !== undefined);
    if (accepted.length) expect(accepted).toContain(capacity);
    else expect(capacity).toBe(30);
    // Every booking that got 201 is on the kitchen list: none lost, none counted twice.
    const made = booked.filter((r) => r.status === 201).length + 4;
    let listed = 0;
    for (const d of dates) listed += (await api('GET', `/v1/meal-sites/${site.id}/bookings?date=${d}`, { token: fx.staff })).body.bookings.filter((b: { status: string }) => b.status === 'booked').length;
    expect(listed).toBe(made);
  });

  it('a capacity change landing between a booking\'s read and its write sends the booking back to decide on the new capacity', async () => {
    // 20 bookings against capacity 3 lowered to 1 before any seat is taken: at most one seat.
    const site = await fx.newSite({ slots: { lunch: { capacity: 3, priceFen: 1500, cutoff: '23:59' } } });
    const date = addDays(today(), 3);
    const [change, ...booked] = await Promise.all([
      api('PATCH', `/v1/meal-sites/${site.id}`, { token: fx.staff, body: { slots: { lunch: { capacity: 1 } } } }),
      ...elders.slice(0, 20).map((e) => api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: e.id, siteId: site.id, date, slot: 'lunch', mode: 'dine_in' } })),
    ]);
    const ok = booked.filter((r) => r.status === 201).length;
    if (change.status === 200) expect(ok).toBe(1);
    else expect(ok).toBe(3);
    await invariants(site.id, [date]);
  });

  it('a suspension racing 20 bookings: each is booked or refused SITE_SUSPENDED, counters equal a recount, none after', async () => {
    const site = await fx.newSite({ slots: { lunch: { capacity: 50, priceFen: 1500, cutoff: '23:59' } } });
    const date = addDays(today(), 6);
    const [suspend, ...booked] = await Promise.all([
      new Promise((ok) => setTimeout(ok, 10)).then(() => api('PATCH', `/v1/meal-sites/${site.id}`, { token: fx.staff, body: { status: 'suspended' } })),
      ...elders.slice(0, 20).map((e) => api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: e.id, siteId: site.id, date, slot: 'lunch', mode: 'dine_in' } })),
    ]);
    expect(suspend.status).toBe(200);
    for (const r of booked) {
      expect([201, 422], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 422) expect(r.body.error.code).toBe('SITE_SUSPENDED');
    }
    await invariants(site.id, [date]);
    const kitchen = (await api('GET', `/v1/meal-sites/${site.id}/bookings?date=${date}`, { token: fx.staff })).body;
    expect(kitchen.slots[0].booked).toBe(booked.filter((r) => r.status === 201).length);
    expect((await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elders[21]!.id, siteId: site.id, date, slot: 'lunch', mode: 'dine_in' } })).body.error.code).toBe('SITE_SUSPENDED');
  });
});
