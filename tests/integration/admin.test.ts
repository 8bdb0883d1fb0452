import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, countyFixture, newIdNumber, token } from '../support/api.js';
import { addDays, mealsFixture, today } from '../support/meals.js';
import { useLocalEnv } from '../support/env.js';

/**
 * The administration routes the staff pages need (issue 14, item 7): searching, editing and
 * unlinking elders; editing and suspending meal sites (with the capacity race in
 * admin-races.test.ts); listing, reading and editing institutions.
 */
let fx: Awaited<ReturnType<typeof countyFixture>>;
let townshipStaff: string;
let otherTownshipStaff: string;
const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
afterAll(() => client.destroy());

/** The event the item carries (the outbox): what the platform will receive. */
async function eventOn(table: string, pk: string, sk: string) {
  const out = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: sk } } }));
  return out.Item ? unmarshall(out.Item).evt : undefined;
}

beforeAll(async () => {
  fx = await countyFixture();
  townshipStaff = await token({ role: 'staff', sub: 'adm-t1', county: fx.county, township: fx.township });
  otherTownshipStaff = await token({ role: 'staff', sub: 'adm-t2', county: fx.county, township: fx.otherTownship });
});

describe('GET /v1/elders', () => {
  let a: { id: string }, b: { id: string }, c: { id: string };
  const idA = () => newIdNumber(fx.county, '19400101');
  let idNumberA: string;
  beforeAll(async () => {
    idNumberA = idA();
    a = await fx.register({ idNumber: idNumberA, name: '张桂芳', cardNo: `SRCH-${fx.county}-1` });
    b = await fx.register({ name: '张建国' });
    c = await fx.register({ name: '李淑珍', township: fx.otherTownship });
  });

  it('lists the county\'s elders for county staff, township by township, paged with nextToken', async () => {
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const r = await api('GET', `/v1/elders?limit=2${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`, { token: fx.staff });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.items.map((e: { id: string }) => e.id));
      next = r.body.nextToken;
      pages++;
    } while (next && pages < 20);
    expect(next).toBeUndefined();
    expect(seen).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('township staff see only their township; asking for another township is 403', async () => {
    const r = await api('GET', '/v1/elders?limit=500', { token: otherTownshipStaff });
    expect(r.status).toBe(200);
    expect(r.body.items.map((e: { id: string }) => e.id)).toEqual([c.id]);
    const other = await api('GET', `/v1/elders?township=${fx.township}`, { token: otherTownshipStaff });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
  });

  it('finds by name prefix, in name order, within the area', async () => {
    const r = await api('GET', `/v1/elders?q=${encodeURIComponent('张')}`, { token: fx.staff });
    expect(r.status).toBe(200);
    expect(r.body.items.map((e: { name: string }) => e.name)).toEqual(['张建国', '张桂芳'].sort());
    const none = await api('GET', `/v1/elders?q=${encodeURIComponent('张')}`, { token: otherTownshipStaff });
    expect(none.body.items).toEqual([]);
  });

  it('finds by a full ID number (by its fingerprint) and by card number, and answers masked', async () => {
    const byId = await api('GET', `/v1/elders?q=${idNumberA}`, { token: fx.staff });
    expect(byId.status).toBe(200);
    expect(byId.body.items.map((e: { id: string }) => e.id)).toEqual([a.id]);
    expect(JSON.stringify(byId.body)).not.toContain(idNumberA);
    const byCard = await api('GET', `/v1/elders?q=SRCH-${fx.county}-1`, { token: townshipStaff });
    expect(byCard.body.items.map((e: { id: string }) => e.id)).toEqual([a.id]);
    // The same elder is outside the other township's area: nothing, not a 403 that confirms them.
    expect((await api('GET', `/v1/elders?q=${idNumberA}`, { token: otherTownshipStaff })).body.items).toEqual([]);
    // A full ID number of nobody registered: an empty page.
    expect((await api('GET', `/v1/elders?q=${newIdNumber(fx.county, '19300101')}`, { token: fx.staff })).body.items).toEqual([]);
  });

  it('elders written before the name index get their name keys from the backfill', async () => {
    const old = await fx.register({ name: '欧阳秀兰' });
    await client.send(new UpdateItemCommand({ TableName: 'Registry', Key: { pk: { S: `ELDER#${old.id}` }, sk: { S: 'PROFILE' } }, UpdateExpression: 'REMOVE gsi2pk, gsi2sk' }));
    const search = () => api('GET', `/v1/elders?q=${encodeURIComponent('欧阳')}`, { token: fx.staff });
    expect((await search()).body.items).toEqual([]);
    useLocalEnv();
    const { backfillNameIndex } = await import('../../functions/registry/store.js');
    expect(await backfillNameIndex(fx.township)).toBe(1);
    expect((await search()).body.items.map((e: { id: string }) => e.id)).toEqual([old.id]);
    expect(await backfillNameIndex(fx.township)).toBe(0);
  });

  it('refuses a q of only spaces or control characters with 400 naming q', async () => {
    const r = await api('GET', `/v1/elders?q=${encodeURIComponent('\u200b')}`, { token: fx.staff });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('q');
  });
});

describe('PATCH /v1/elders/{elderId}', () => {
  it('changes only the fields given, clears with null, and emits elder.updated without personal data', async () => {
    const e = await fx.register({ phone: '13800000001', categories: ['dibao'] });
    const r = await api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body: { address: '城关镇幸福路8号', categories: ['tekun', 'tekun'], capabilityLevel: 3, phone: null } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ id: e.id, address: '城关镇幸福路8号', categories: ['tekun'], capabilityLevel: 3, name: '王秀英' });
    expect(r.body.phone).toBeUndefined();
    const read = await api('GET', `/v1/elders/${e.id}`, { token: fx.staff });
    expect(read.body).toEqual(r.body);
    const evt = await eventOn('Registry', `ELDER#${e.id}`, 'PROFILE');
    expect(evt).toMatchObject({ type: 'elder.updated', entity: `elder:${e.id}`, data: { elderId: e.id, categories: ['tekun'], capabilityLevel: 3 } });
    expect(evt.data.changed.sort()).toEqual(['address', 'capabilityLevel', 'categories', 'phone']);
    expect(JSON.stringify(evt)).not.toContain('幸福路');
  });

  it('is 400 for an empty change, a field it does not change, or a village outside the township', async () => {
    const e = await fx.register();
    for (const body of [{}, { name: '改名' }, { village: `${fx.otherTownship}001` }]) {
      const r = await api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('moves the card: the new one is claimed, the old one released; a card in use is 409 CARD_IN_USE', async () => {
    const e = await fx.register({ cardNo: `OLD-${fx.county}` });
    const holder = await fx.register({ cardNo: `HELD-${fx.county}` });
    const taken = await api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body: { cardNo: `HELD-${fx.county}`, address: '不会写入' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('CARD_IN_USE');
    expect((await api('GET', `/v1/elders/${e.id}`, { token: fx.staff })).body.address).toBeUndefined();
    const moved = await api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body: { cardNo: `NEW-${fx.county}` } });
    expect(moved.status).toBe(200);
    expect(moved.body.cardNo).toBe(`NEW-${fx.county}`);
    const lookup = (cardNo: string) => api('POST', '/v1/elders/lookup', { token: fx.staff, body: { cardNo } });
    expect((await lookup(`NEW-${fx.county}`)).body.id).toBe(e.id);
    expect((await lookup(`OLD-${fx.county}`)).status).toBe(404);
    // The released card can be given to someone else.
    expect((await api('PATCH', `/v1/elders/${holder.id}`, { token: fx.staff, body: { cardNo: `OLD-${fx.county}` } })).status).toBe(200);
    expect((await lookup(`HELD-${fx.county}`)).status).toBe(404);
    // Cleared: no card, and the number is free again.
    expect((await api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body: { cardNo: null } })).body.cardNo).toBeUndefined();
    expect((await lookup(`NEW-${fx.county}`)).status).toBe(404);
  });

  it('under a race for one new card, exactly one elder gets it and every loser keeps its old card', async () => {
    const elders = await Promise.all(Array.from({ length: 8 }, (_, i) => fx.register({ cardNo: `RACE-${fx.county}-${i}` })));
    const rs = await Promise.all(elders.map((e) => api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body: { cardNo: `PRIZE-${fx.county}` } })));
    expect(rs.filter((r) => r.status === 200)).toHaveLength(1);
    expect(rs.filter((r) => r.status === 409).every((r) => r.body.error.code === 'CARD_IN_USE')).toBe(true);
    const winner = elders[rs.findIndex((r) => r.status === 200)]!;
    expect((await api('POST', '/v1/elders/lookup', { token: fx.staff, body: { cardNo: `PRIZE-${fx.county}` } })).body.id).toBe(winner.id);
    for (const [i, e] of elders.entries()) {
      const own = await api('POST', '/v1/elders/lookup', { token: fx.staff, body: { cardNo: `RACE-${fx.county}-${i}` } });
      if (e === winner) expect(own.status).toBe(404);
      else expect(own.body.id).toBe(e.id);
    }
  });

  it('a death report racing edits is kept, and so is every edit', async () => {
    const e = await fx.register();
    const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    const [death, ...edits] = await Promise.all([
      api('POST', `/v1/elders/${e.id}/deceased`, { token: fx.staff, body: { dateOfDeath: yesterday } }),
      api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body: { address: '东街1号' } }),
      api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body: { capabilityLevel: 4 } }),
      api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body: { dietaryNeeds: ['soft'] } }),
    ]);
    expect(death.status).toBe(200);
    for (const r of edits) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const read = (await api('GET', `/v1/elders/${e.id}`, { token: fx.staff })).body;
    expect(read).toMatchObject({ status: 'deceased', dateOfDeath: yesterday, address: '东街1号', capabilityLevel: 4, dietaryNeeds: ['soft'] });
  });

  it('is 404 for an unknown elder and 403 for staff of another township', async () => {
    expect((await api('PATCH', '/v1/elders/eld_nobody', { token: fx.staff, body: { capabilityLevel: 1 } })).status).toBe(404);
    const e = await fx.register();
    expect((await api('PATCH', `/v1/elders/${e.id}`, { token: otherTownshipStaff, body: { capabilityLevel: 1 } })).status).toBe(403);
  });
});

describe('DELETE /v1/elders/{elderId}/family-links/{familySub}', () => {
  it('unlinks: the family no longer sees the elder; again, or an unknown link, is 404; emits elder.family_unlinked', async () => {
    const e = await fx.register();
    await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: `unlink-${fx.county}`, relation: 'child' } });
    const family = await token({ role: 'family', sub: `unlink-${fx.county}`, county: fx.county });
    expect((await api('GET', `/v1/elders/${e.id}`, { token: family })).status).toBe(200);
    const r = await api('DELETE', `/v1/elders/${e.id}/family-links/unlink-${fx.county}`, { token: fx.staff });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ elderId: e.id, familySub: `unlink-${fx.county}`, relation: 'child' });
    expect((await api('GET', `/v1/elders/${e.id}`, { token: family })).status).toBe(403);
    expect((await api('GET', '/v1/me/elders', { token: family })).body.items).toEqual([]);
    expect(await eventOn('Registry', `ELDER#${e.id}`, 'PROFILE')).toMatchObject({ type: 'elder.family_unlinked', data: { elderId: e.id, relation: 'child' } });
    const again = await api('DELETE', `/v1/elders/${e.id}/family-links/unlink-${fx.county}`, { token: fx.staff });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('NOT_FOUND');
    // Linking again works.
    expect((await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: `unlink-${fx.county}`, relation: 'child' } })).status).toBe(201);
  });
});

describe('PATCH /v1/meal-sites/{siteId}', () => {
  let mx: Awaited<ReturnType<typeof mealsFixture>>;
  beforeAll(async () => {
    mx = await mealsFixture();
  });
  const book = (elderId: string, siteId: string, date: string, slot = 'lunch') => api('POST', '/v1/bookings', { token: mx.staff, body: { elderId, siteId, date, slot, mode: 'dine_in' } });

  it('changes the fields given (slots per field), adds a slot, and emits meal_site.updated', async () => {
    const site = await mx.newSite({ slots: { lunch: { capacity: 10, priceFen: 1500, cutoff: '10:00' } } });
    const r = await api('PATCH', `/v1/meal-sites/${site.id}`, { token: mx.staff, body: { name: '城关镇第二长者食堂', delivery: false, slots: { lunch: { priceFen: 1600 }, dinner: { capacity: 20, priceFen: 1200, cutoff: '16:00' } } } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ id: site.id, name: '城关镇第二长者食堂', delivery: false, status: 'active', slots: { lunch: { capacity: 10, priceFen: 1600, cutoff: '10:00' }, dinner: { capacity: 20, priceFen: 1200, cutoff: '16:00' } } });
    expect((await api('GET', `/v1/meal-sites/${site.id}`, { token: mx.staff })).body).toEqual(r.body);
    expect(await eventOn('Meals', `SITE#${site.id}`, 'SITE')).toMatchObject({ type: 'meal_site.updated', data: { siteId: site.id, changed: ['name', 'delivery', 'slots'], status: 'active', delivery: false } });
  });

  it('is 400 for a new slot without all its settings, or an unknown field', async () => {
    const site = await mx.newSite({ slots: { lunch: { capacity: 10, priceFen: 1500, cutoff: '10:00' } } });
    const r = await api('PATCH', `/v1/meal-sites/${site.id}`, { token: mx.staff, body: { slots: { dinner: { capacity: 20 } } } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['slots.dinner.cutoff', 'slots.dinner.priceFen']);
    expect((await api('PATCH', `/v1/meal-sites/${site.id}`, { token: mx.staff, body: { township: mx.otherTownship } })).status).toBe(400);
  });

  it('a suspended site takes no new bookings (422 SITE_SUSPENDED); its bookings stay, are cancellable and are served', async () => {
    const site = await mx.newSite({ slots: { lunch: { capacity: 10, priceFen: 1500, cutoff: '23:59' } } });
    const [e1, e2] = [await mx.register(), await mx.register()];
    const date = addDays(today(), 2);
    const kept = await book(e1.id, site.id, date);
    expect(kept.status).toBe(201);
    const todays = await book(e2.id, site.id, today());
    expect(todays.status).toBe(201);
    expect((await api('PATCH', `/v1/meal-sites/${site.id}`, { token: mx.staff, body: { status: 'suspended' } })).body.status).toBe('suspended');
    const refused = await book(e2.id, site.id, date);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('SITE_SUSPENDED');
    const avail = await api('GET', `/v1/meal-sites/${site.id}/availability?date=${date}`, { token: mx.staff });
    expect(avail.body.slots[0]).toMatchObject({ booked: 1, open: false });
    // Today's booked meal is still served and recorded at the counter.
    const served = await api('POST', `/v1/meal-sites/${site.id}/servings`, { token: await mx.siteToken(site.id), body: { records: [{ clientRecordId: `susp-${site.id}`, elderId: e2.id, servedAt: new Date().toISOString(), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card', bookingId: todays.body.id }] } });
    expect(served.body.results[0].status).toBe('accepted');
    expect((await api('POST', `/v1/bookings/${kept.body.id}/cancel`, { token: mx.staff })).body.status).toBe('cancelled');
    // Resumed: bookings are taken again.
    await api('PATCH', `/v1/meal-sites/${site.id}`, { token: mx.staff, body: { status: 'active' } });
    expect((await book(e2.id, site.id, date)).status).toBe(201);
  });

  it('lowering a capacity below the seats booked for a date is 409 CAPACITY_BELOW_BOOKED with date, slot and booked', async () => {
    const site = await mx.newSite({ slots: { lunch: { capacity: 10, priceFen: 1500, cutoff: '23:59' } } });
    const date = addDays(today(), 30);
    for (let i = 0; i < 3; i++) expect((await book((await mx.register()).id, site.id, date)).status).toBe(201);
    const r = await api('PATCH', `/v1/meal-sites/${site.id}`, { token: mx.staff, body: { slots: { lunch: { capacity: 2 } }, name: '不会改名' } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('CAPACITY_BELOW_BOOKED');
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'slots.lunch.capacity', date, slot: 'lunch', booked: 3 })]);
    expect((await api('GET', `/v1/meal-sites/${site.id}`, { token: mx.staff })).body).toMatchObject({ name: '城关镇长者食堂', slots: { lunch: { capacity: 10 } } });
    // Down to exactly the booked seats is allowed; the slot is then full.
    expect((await api('PATCH', `/v1/meal-sites/${site.id}`, { token: mx.staff, body: { slots: { lunch: { capacity: 3 } } } })).status).toBe(200);
    expect((await book((await mx.register()).id, site.id, date)).body.error.code).toBe('SLOT_FULL');
  });

  it('is 404 for an unknown site and 403 for staff of another township', async () => {
    expect((await api('PATCH', '/v1/meal-sites/site_nobody', { token: mx.staff, body: { name: '无' } })).status).toBe(404);
    const other = await token({ role: 'staff', sub: 'adm-site-t2', county: mx.county, township: mx.otherTownship });
    expect((await api('PATCH', `/v1/meal-sites/${mx.site.id}`, { token: other, body: { name: '无' } })).status).toBe(403);
  });
});

describe('institutions: list, read, change', () => {
  let a: { id: string }, b: { id: string }, c: { id: string };
  const create = async (body: Record<string, unknown>) => {
    const r = await api('POST', '/v1/institutions', { token: fx.staff, body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string };
  };
  beforeAll(async () => {
    a = await create({ name: '城关敬老院', township: fx.township, kind: 'welfare_home', address: '城关镇北街 2 号' });
    b = await create({ name: '康宁养老中心', township: fx.township, kind: 'private', starRating: 3 });
    c = await create({ name: '东关幸福院', township: fx.otherTownship, kind: 'rural_happiness_home' });
  });

  it('lists the area\'s institutions, by township and kind, paged', async () => {
    const all = await api('GET', '/v1/institutions?limit=2', { token: fx.staff });
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    const rest = await api('GET', `/v1/institutions?limit=2&nextToken=${encodeURIComponent(all.body.nextToken)}`, { token: fx.staff });
    expect(rest.body.nextToken).toBeUndefined();
    expect([...all.body.items, ...rest.body.items].map((i: { id: string }) => i.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(all.body.items[0]).toMatchObject({ county: fx.county });
    const privates = await api('GET', '/v1/institutions?kind=private', { token: fx.staff });
    expect(privates.body.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const mine = await api('GET', '/v1/institutions', { token: otherTownshipStaff });
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
    expect((await api('GET', `/v1/institutions?township=${fx.township}`, { token: otherTownshipStaff })).status).toBe(403);
  });

  it('reads one institution: staff of its area and its own staff; others 403; unknown 404', async () => {
    const own = await token({ role: 'institution', sub: 'adm-inst', county: fx.county, institution: a.id });
    expect((await api('GET', `/v1/institutions/${a.id}`, { token: own })).body).toMatchObject({ id: a.id, name: '城关敬老院', address: '城关镇北街 2 号' });
    expect((await api('GET', `/v1/institutions/${b.id}`, { token: own })).status).toBe(403);
    expect((await api('GET', `/v1/institutions/${a.id}`, { token: otherTownshipStaff })).status).toBe(403);
    expect((await api('GET', '/v1/institutions/inst_nobody', { token: fx.staff })).status).toBe(404);
  });

  it('changes name, kind, star rating and address; the vacancy search shows the new name; emits institution.updated', async () => {
    await api('POST', `/v1/institutions/${b.id}/beds`, { token: fx.staff, body: { beds: [{ label: 'V1', careType: 'nursing' }] } });
    const r = await api('PATCH', `/v1/institutions/${b.id}`, { token: fx.staff, body: { name: '康宁护理院', kind: 'public_built_private_run', starRating: null, address: '城关镇南街 9 号' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ id: b.id, name: '康宁护理院', kind: 'public_built_private_run', address: '城关镇南街 9 号', township: fx.township });
    expect(r.body.starRating).toBeUndefined();
    expect((await api('GET', `/v1/institutions/${b.id}`, { token: fx.staff })).body).toEqual(r.body);
    const vacancies = await api('GET', '/v1/vacancies', { token: fx.staff });
    const listed = JSON.stringify(vacancies.body);
    expect(listed).toContain('康宁护理院');
    expect(listed).not.toContain('康宁养老中心');
    expect(await eventOn('Beds', `INST#${b.id}`, 'INST')).toMatchObject({ type: 'institution.updated', data: { institutionId: b.id, name: '康宁护理院', kind: 'public_built_private_run' } });
    expect((await api('PATCH', `/v1/institutions/${b.id}`, { token: otherTownshipStaff, body: { name: 'x' } })).status).toBe(403);
    expect((await api('PATCH', `/v1/institutions/${b.id}`, { token: fx.staff, body: { township: fx.otherTownship } })).status).toBe(400);
  });
});
