import { Webhook } from 'standardwebhooks';
import { describe, expect, inject, it } from 'vitest';
import { typedEvent, type EventType } from '../../shared/schemas/events.js';
import { cstDate } from '../../shared/time.js';
import { localPlatformSecret } from '../../scripts/local/keys.js';
import { api, countyFixture, token, uniqueCounty } from '../support/api.js';
import { addDays, siteBody, today } from '../support/meals.js';

/**
 * The outbound platform link end to end, as `npm start` runs it: changes made through the API
 * reach the tables' streams, the relay ledgers them and queues them, the deliverer signs and
 * posts them to the reference receiver, which verifies them. The receiver plays an unreliable
 * platform per county (PUT /_mode), and reports what arrived (GET /_received).
 */
interface Received {
  events: { id: string; type: EventType; entity: string; sequence: number; occurredAt: string; county: string; data: Record<string, unknown> }[];
  attempts: number;
  failed: number;
  duplicates: number;
  rejected: number;
}
const receiverUrl = () => inject('platformReceiverUrl');
async function mode(county: string, m: { failFirst?: number; down?: boolean }) {
  const r = await fetch(`${receiverUrl()}/_mode`, { method: 'PUT', body: JSON.stringify({ county, ...m }) });
  expect(r.status).toBe(200);
}
const received = async (county: string): Promise<Received> => (await fetch(`${receiverUrl()}/_received?county=${county}`)).json() as Promise<Received>;

async function until<T>(what: string, read: () => Promise<T>, done: (t: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every event of the county in the feed, walked page by page from the start. */
async function walkFeed(county: string, limit = 3) {
  const platform = await token({ role: 'platform', sub: `platform-${county}`, county });
  const events: Received['events'] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const r = await api('GET', `/v1/platform/events?limit=${limit}${cursor ? `&after=${cursor}` : ''}`, { token: platform });
    expect(r.status).toBe(200);
    events.push(...r.body.events);
    if (!r.body.more) return { events, cursor: r.body.cursor as string, platform };
    cursor = r.body.cursor;
  }
  throw new Error('feed did not end');
}

/**
 * Changes that make events for one elder (registered, two family links, deceased) and for one
 * bed (admitted, discharged, reserved, vacant again, admitted): ordered histories to check.
 */
async function makeHistory(county: string) {
  const fx = await countyFixture(county);
  const elder = await fx.register();
  const other = await fx.register();
  for (const [sub, relation] of [['fam-a', 'child'], ['fam-b', 'grandchild']] as const) {
    expect((await api('POST', `/v1/elders/${elder.id}/family-links`, { token: fx.staff, body: { familySub: `${sub}-${county}`, relation } })).status).toBe(201);
  }
  const inst = (await api('POST', '/v1/institutions', { token: fx.staff, body: { name: '敬老院', township: fx.township, kind: 'welfare_home' } })).body;
  const beds = (await api('POST', `/v1/institutions/${inst.id}/beds`, { token: fx.staff, body: { beds: [{ label: 'A-1', careType: 'nursing' }] } })).body;
  const bedId = beds.items?.[0]?.id ?? beds[0].id;
  const at = new Date().toISOString();
  const steps: [string, string, unknown][] = [
    ['POST', `/v1/institutions/${inst.id}/admissions`, { bedId, elderId: other.id, admittedAt: at }],
    ['POST', `/v1/institutions/${inst.id}/discharges`, { elderId: other.id, dischargedAt: at, reason: 'returned_home' }],
    ['PUT', `/v1/beds/${bedId}/status`, { status: 'reserved' }],
    ['PUT', `/v1/beds/${bedId}/status`, { status: 'vacant' }],
    ['POST', `/v1/institutions/${inst.id}/admissions`, { bedId, elderId: other.id, admittedAt: at }],
  ];
  for (const [method, path, body] of steps) {
    const r = await api(method, path, { token: fx.staff, body });
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  }
  expect((await api('POST', `/v1/elders/${elder.id}/deceased`, { token: fx.staff, body: { dateOfDeath: cstDate(new Date()) } })).status).toBe(200);
  return {
    fx,
    elderEntity: `elder:${elder.id}`,
    elderTypes: ['elder.registered', 'elder.family_linked', 'elder.family_linked', 'elder.deceased'],
    bedEntity: `bed:${bedId}`,
    bedTypes: ['resident.admitted', 'resident.discharged', 'bed.status_changed', 'bed.status_changed', 'resident.admitted'],
  };
}

function expectOrdered(events: Received['events'], entity: string, types: string[]) {
  const of = events.filter((e) => e.entity === entity);
  expect(of.map((e) => e.type)).toEqual(types);
  const seqs = of.map((e) => e.sequence);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
}

describe('outbound delivery to the platform', () => {
  it('retries a failing platform until every event arrives exactly once, one entity\'s events in order, as the catalogue describes them', async () => {
    const county = uniqueCounty();
    await mode(county, { failFirst: 2 });
    const h = await makeHistory(county);
    const { events: feed } = await until('the feed to hold the history', () => walkFeed(county, 100), (f) => f.events.filter((e) => e.entity === h.bedEntity).length === h.bedTypes.length && f.events.some((e) => e.type === 'elder.deceased'));
    const got = await until(`all ${feed.length} events to arrive`, () => received(county), (r) => r.events.length >= feed.length);
    await new Promise((r) => setTimeout(r, 500)); // anything extra would show now
    const after = await received(county);

    expect(after.events.map((e) => e.id).sort()).toEqual(feed.map((e) => e.id).sort());
    expect(new Set(after.events.map((e) => e.id)).size).toBe(after.events.length);
    expect(after.duplicates).toBe(0);
    expect(after.failed).toBe(2 * feed.length);
    expect(after.rejected).toBe(0);
    expectOrdered(got.events, h.elderEntity, h.elderTypes);
    expectOrdered(got.events, h.bedEntity, h.bedTypes);
    for (const e of after.events) expect(typedEvent(e.type).safeParse(e).error).toBeUndefined();
    // No personal data leaves: the elder's name and ID number are nowhere in what was sent.
    expect(JSON.stringify(after.events)).not.toMatch(/王秀英|\d{17}[\dX]/);
  });

  it('parks every event while the platform is down for good, lists them for staff, and a replay delivers them all, in order, under their first ids', async () => {
    const county = uniqueCounty();
    await mode(county, { down: true });
    const h = await makeHistory(county);
    const { events: feed } = await until('the feed to hold the history', () => walkFeed(county, 100), (f) => f.events.some((e) => e.type === 'elder.deceased') && f.events.filter((e) => e.entity === h.bedEntity).length === h.bedTypes.length);
    const staff = h.fx.staff;
    const listed = await until('every event to be parked', async () => (await api('GET', '/v1/platform/dead-letters?limit=500', { token: staff })).body, (b) => b.items?.length === feed.length);
    expect(listed.items.map((d: { eventId: string }) => d.eventId)).toEqual(feed.map((e) => e.id));
    const ofBed = listed.items.filter((d: { entity: string }) => d.entity === h.bedEntity);
    // The first of an entity used up its attempts; the later ones waited behind it.
    expect(ofBed[0]).toMatchObject({ reason: 'attempts_exhausted', attempts: 4, lastError: 'platform answered 503' });
    expect(ofBed.slice(1).every((d: { reason: string; behind: string }) => d.reason === 'behind_parked_event' && d.behind === ofBed[0].eventId)).toBe(true);
    expect((await received(county)).events).toHaveLength(0);
    // Township staff and other roles may not replay.
    const townshipStaff = await token({ role: 'staff', sub: `t-${county}`, county, township: h.fx.township });
    expect((await api('POST', '/v1/platform/dead-letters/replay', { token: townshipStaff, body: {} })).status).toBe(403);

    await mode(county, { down: false });
    const replay = await api('POST', '/v1/platform/dead-letters/replay', { token: staff, body: {} });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ replayed: feed.length, remaining: false });
    const got = await until('the replayed events to arrive', () => received(county), (r) => r.events.length >= feed.length);
    expect(got.events.map((e) => e.id).sort()).toEqual(feed.map((e) => e.id).sort());
    expect(got.duplicates).toBe(0);
    expectOrdered(got.events, h.elderEntity, h.elderTypes);
    expectOrdered(got.events, h.bedEntity, h.bedTypes);
    await until('the dead-letter list to empty', async () => (await api('GET', '/v1/platform/dead-letters', { token: staff })).body.items, (items) => items.length === 0);
    // The feed is unchanged by the replay: no second event id for anything.
    expect((await walkFeed(county, 100)).events.map((e) => e.id)).toEqual(feed.map((e) => e.id));
  });

  it('serves the same events as a feed: from an empty cursor to the end, each once, in order; and counts them per day and type', async () => {
    const county = uniqueCounty();
    await mode(county, {});
    const h = await makeHistory(county);
    // Meals too, so their event types are checked against the catalogue as well.
    const staff = h.fx.staff;
    const diner = await h.fx.register();
    const site = (await api('POST', '/v1/meal-sites', { token: staff, body: siteBody(h.fx.township) })).body;
    expect((await api('PUT', '/v1/subsidy-policy', { token: staff, body: { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }] } })).status).toBe(200);
    expect((await api('PUT', `/v1/meal-sites/${site.id}/menus/${addDays(today(), 2)}`, { token: await token({ role: 'site', sub: 'dev', county, site: site.id }), body: { slots: { lunch: [{ name: '红烧豆腐' }] } } })).status).toBeLessThan(300);
    const booking = (await api('POST', '/v1/bookings', { token: staff, body: { elderId: diner.id, siteId: site.id, date: addDays(today(), 2), slot: 'lunch', mode: 'dine_in' } })).body;
    expect((await api('POST', `/v1/bookings/${booking.id}/cancel`, { token: staff })).status).toBe(200);
    const device = await token({ role: 'site', sub: 'dev', county, site: site.id });
    const served = (await api('POST', `/v1/meal-sites/${site.id}/servings`, { token: device, body: { records: [{ clientRecordId: 'r1', elderId: diner.id, servedAt: new Date().toISOString(), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }] } })).body;
    expect((await api('POST', `/v1/servings/${served.results[0].servingId}/void`, { token: staff, body: { reason: '录入错误' } })).status).toBe(200);
    const mealTypes = ['meal_site.registered', 'subsidy_policy.updated', 'menu.updated', 'booking.created', 'booking.cancelled', 'serving.recorded', 'serving.voided'];

    const { events, cursor, platform } = await until('the feed to hold the history', () => walkFeed(county, 3), (f) => f.events.some((e) => e.type === 'serving.voided') && f.events.some((e) => e.type === 'elder.deceased') && f.events.filter((e) => e.entity === h.bedEntity).length === h.bedTypes.length);
    expect(mealTypes.filter((t) => !events.some((e) => e.type === t))).toEqual([]);
    for (const e of events) expect(typedEvent(e.type).safeParse(e).error, e.type).toBeUndefined();
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expectOrdered(events, h.elderEntity, h.elderTypes);
    const end = await api('GET', `/v1/platform/events?after=${cursor}`, { token: platform });
    expect(end.body).toEqual({ events: [], cursor, more: false });

    const got = await until('delivery', () => received(county), (r) => r.events.length >= events.length);
    expect(got.events.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());

    const recon = await api('GET', `/v1/platform/reconciliation?date=${cstDate(new Date())}`, { token: platform });
    expect(recon.status).toBe(200);
    expect(recon.body.total).toBe(events.length);
    const byType: Record<string, number> = {};
    for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
    expect(recon.body.byType).toEqual(byType);
    expect((await api('GET', `/v1/platform/reconciliation?date=${cstDate(new Date())}`, { token: h.fx.staff })).body.total).toBe(events.length);
    expect((await api('GET', '/v1/platform/events?after=abc', { token: platform })).body.error.details[0]).toMatchObject({ path: 'after' });
    // Another county's platform token sees none of it.
    const stranger = await token({ role: 'platform', sub: 'platform-x', county: uniqueCounty() });
    expect((await api('GET', '/v1/platform/events', { token: stranger })).body.events).toEqual([]);
  });

  it('the reference receiver accepts the product\'s own signature and refuses a flipped byte, a wrong secret and a timestamp 6 minutes old', async () => {
    const secret = localPlatformSecret(inject('localDir'), 'outbound');
    const county = uniqueCounty();
    await mode(county, {});
    const post = async (id: string, body: string, signedBody: string, key: string, at: Date) => {
      const signature = new Webhook(key).sign(id, at, signedBody);
      return (await fetch(`${receiverUrl()}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature },
        body,
      })).status;
    };
    const event = (id: string) => JSON.stringify({ id, type: 'menu.updated', occurredAt: new Date().toISOString(), county, entity: 'menu:x', sequence: 1, data: { siteId: 'x', date: '2026-11-24' } });
    const flipped = (s: string) => s.replace('menu:x', 'menu:y');
    const now = new Date();
    expect(await post('evt-flip', flipped(event('evt-flip')), event('evt-flip'), secret, now)).toBe(401);
    expect(await post('evt-key', event('evt-key'), event('evt-key'), `whsec_${Buffer.from('not the secret at all, 32 bytes!').toString('base64')}`, now)).toBe(401);
    expect(await post('evt-old', event('evt-old'), event('evt-old'), secret, new Date(now.getTime() - 6 * 60_000))).toBe(401);
    expect((await received(county)).rejected).toBe(3);

    // The product's own sender, as the deliverer calls it.
    process.env.PLATFORM_URL = `${receiverUrl()}/webhooks`;
    process.env.PLATFORM_DELIVERY_SECRET = secret;
    const { postToPlatform } = await import('../../functions/platform/sender.js');
    await postToPlatform(JSON.parse(event('evt-ok')) as { id: string }, new Date());
    expect((await received(county)).events.map((e) => e.id)).toEqual(['evt-ok']);
  });
});
