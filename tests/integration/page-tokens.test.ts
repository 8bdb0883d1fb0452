import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { isListRoute } from '../../shared/http/route.js';
import { routeList } from '../../shared/routes/index.js';
import { api, token } from '../support/api.js';
import { useLocalEnv } from '../support/env.js';
import { addDays, mealsFixture, today } from '../support/meals.js';

/**
 * Every list route of the route table, each with a list of at least two items. A token from
 * one list must not work on another, nor on the same list with other filters or in another
 * area, and a made-up or changed one neither: 400 INVALID_PAGE_TOKEN naming nextToken. A new
 * list route must be added here (the first test fails otherwise).
 */
let fx: Awaited<ReturnType<typeof mealsFixture>>;
let other: Awaited<ReturnType<typeof mealsFixture>>;
interface ListCase {
  /** The list's path with limit=1 (there are at least two items). */
  path: string;
  /** The same list with other filters (or undefined where the list has none). */
  otherFilters?: string;
  token: () => Promise<string>;
}
let lists: Record<string, ListCase>;
const tokens: Record<string, string> = {};

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const cst = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  fx = await mealsFixture();
  other = await mealsFixture();
  const staff = fx.staff;
  const site2 = await fx.newSite();
  // An elder with bookings on two dates, and a site with two servings on one date.
  const elder = await fx.register();
  for (const d of [1, 2]) await api('POST', '/v1/bookings', { token: staff, body: { elderId: elder.id, siteId: fx.site.id, date: addDays(today(), d), slot: 'lunch', mode: 'dine_in' } });
  const servedAt = minutesAgo(5);
  await api('POST', `/v1/meal-sites/${fx.site.id}/servings`, { token: await fx.siteToken(), body: { records: [1, 2].map((i) => ({ clientRecordId: `pt-${i}`, elderId: elder.id, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' })) } });
  // Two welfare alerts: living-alone elders miss today's dinner; the job runs "tomorrow".
  useLocalEnv();
  const { runNoShows } = await import('../../functions/meals/no-shows.js');
  const late = await fx.newSite({ slots: { dinner: { capacity: 5, priceFen: 800, cutoff: '23:59' } } });
  for (let i = 0; i < 2; i++) {
    const alone = await fx.register({ categories: ['living_alone'] });
    await api('POST', '/v1/bookings', { token: staff, body: { elderId: alone.id, siteId: late.id, date: today(), slot: 'dinner', mode: 'dine_in' } });
  }
  await runNoShows(new Date(Date.parse(`${addDays(today(), 1)}T08:00:00+08:00`)), { counties: [fx.county] });
  // An institution with two beds and two log entries; another one.
  const inst = (await api('POST', '/v1/institutions', { token: staff, body: { name: '令牌敬老院', township: fx.township, kind: 'welfare_home' } })).body.id as string;
  const inst2 = (await api('POST', '/v1/institutions', { token: staff, body: { name: '令牌二院', township: fx.township, kind: 'private' } })).body.id as string;
  for (const label of ['A1', 'A2']) await api('POST', `/v1/institutions/${inst}/beds`, { token: staff, body: { beds: [{ label, careType: 'nursing' }] } });
  // Two dead letters, written straight into the ledger (parking needs a failing platform).
  const { db } = await import('../../functions/lib/dynamo.js');
  for (const seq of [1, 2]) {
    await db().send(new PutCommand({
      TableName: process.env.PLATFORM_TABLE!,
      Item: { pk: `DEAD#${fx.county}`, sk: String(seq).padStart(12, '0'), county: fx.county, eventId: `evt-${fx.county}-${seq}`, seq, type: 'serving.recorded', entity: `serving:x${seq}`, occurredAt: servedAt, parkedAt: servedAt, reason: 'attempts_exhausted', attempts: 4 },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  }

  const first = (path: string) => async () => {
    const r = await api('GET', path, { token: staff });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items, path).toHaveLength(1);
    expect(r.body.nextToken, path).toBeTypeOf('string');
    return r.body.nextToken as string;
  };
  const date = cst(servedAt);
  // The elder's trail has its registration and this read: two lines.
  await api('GET', `/v1/elders/${elder.id}`, { token: staff });
  const elderB = await fx.register();
  // Two open care-bed applications: the county's queue. Under a policy, the two vacant beds of the
  // public home are offered to them: two offers.
  await api('PUT', '/v1/admission-policy', { token: staff, body: { effectiveFrom: '2020-01-01', classes: [], declinesBeforeRequeue: 0 } });
  for (const e of [elder, elderB]) await api('POST', '/v1/bed-applications', { token: staff, body: { elderId: e.id, careType: 'nursing' } });
  lists = {
    listSites: { path: '/v1/meal-sites?limit=1', otherFilters: `/v1/meal-sites?limit=1&township=${fx.township}`, token: first('/v1/meal-sites?limit=1') },
    listBookings: { path: `/v1/bookings?elderId=${elder.id}&limit=1`, otherFilters: `/v1/bookings?elderId=${(await fx.register()).id}&limit=1`, token: first(`/v1/bookings?elderId=${elder.id}&limit=1`) },
    listServings: { path: `/v1/meal-sites/${fx.site.id}/servings?date=${date}&limit=1`, otherFilters: `/v1/meal-sites/${site2.id}/servings?date=${date}&limit=1`, token: first(`/v1/meal-sites/${fx.site.id}/servings?date=${date}&limit=1`) },
    listAlerts: { path: '/v1/alerts?limit=1', otherFilters: '/v1/alerts?limit=1&status=all', token: first('/v1/alerts?limit=1') },
    listBeds: { path: `/v1/institutions/${inst}/beds?limit=1`, otherFilters: `/v1/institutions/${inst2}/beds?limit=1`, token: first(`/v1/institutions/${inst}/beds?limit=1`) },
    bedLog: { path: `/v1/institutions/${inst}/log?limit=1`, otherFilters: `/v1/institutions/${inst2}/log?limit=1`, token: first(`/v1/institutions/${inst}/log?limit=1`) },
    listDeadLetters: { path: '/v1/platform/dead-letters?limit=1', token: first('/v1/platform/dead-letters?limit=1') },
    listElders: { path: '/v1/elders?limit=1', otherFilters: `/v1/elders?limit=1&township=${fx.township}`, token: first('/v1/elders?limit=1') },
    elderAudit: { path: `/v1/elders/${elder.id}/audit?limit=1`, otherFilters: `/v1/elders/${elderB.id}/audit?limit=1`, token: first(`/v1/elders/${elder.id}/audit?limit=1`) },
    listInstitutions: { path: '/v1/institutions?limit=1', otherFilters: '/v1/institutions?limit=1&kind=private', token: first('/v1/institutions?limit=1') },
    listApplications: { path: '/v1/bed-applications?limit=1', otherFilters: '/v1/bed-applications?limit=1&status=waiting', token: first('/v1/bed-applications?limit=1') },
    listOffers: { path: '/v1/offers?limit=1', otherFilters: '/v1/offers?limit=1&status=open', token: first('/v1/offers?limit=1') },
  };
  for (const [name, c] of Object.entries(lists)) tokens[name] = await c.token();
});

const refusedAsBadToken = (r: { status: number; body: { error?: { code: string; details: { path?: string }[] } } }) => {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.error?.code).toBe('INVALID_PAGE_TOKEN');
  expect(r.body.error?.details[0]?.path).toBe('nextToken');
};
const withToken = (path: string, t: string) => `${path}&nextToken=${encodeURIComponent(t)}`;

describe('page tokens on every list route', () => {
  it('covers every list route of the route table, and each declares INVALID_PAGE_TOKEN', () => {
    const listRoutes = routeList.filter((r) => isListRoute(r));
    expect(Object.keys(lists).sort()).toEqual(listRoutes.map((r) => r.name).sort());
    for (const r of listRoutes) expect(r.errors, r.name).toContain('INVALID_PAGE_TOKEN');
  });

  it('a token continues its own list with its next item', async () => {
    for (const [name, c] of Object.entries(lists)) {
      const firstItem = (await api('GET', c.path, { token: fx.staff })).body.items[0];
      const r = await api('GET', withToken(c.path, tokens[name]!), { token: fx.staff });
      expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body.items, name).toHaveLength(1);
      expect(r.body.items[0], name).not.toEqual(firstItem);
    }
  });

  it('a token from one list is refused on every other list', async () => {
    for (const [from, t] of Object.entries(tokens)) {
      for (const [to, c] of Object.entries(lists)) {
        if (from === to) continue;
        refusedAsBadToken(await api('GET', withToken(c.path, t), { token: fx.staff }));
      }
    }
  });

  it('a token is refused on the same list with other filters, in another county, or made up or changed', async () => {
    const otherCounty = await token({ role: 'staff', county: other.county });
    const townshipStaff = await token({ role: 'staff', county: fx.county, township: fx.township });
    for (const [name, c] of Object.entries(lists)) {
      const t = tokens[name]!;
      if (c.otherFilters) refusedAsBadToken(await api('GET', withToken(c.otherFilters, t), { token: fx.staff }));
      if (name !== 'listBeds' && name !== 'bedLog' && name !== 'listServings' && name !== 'listBookings') {
        // Lists any staff member may read in their own area: another county's, or a township's.
        refusedAsBadToken(await api('GET', withToken(c.path, t), { token: otherCounty }));
      }
      if (name === 'listAlerts' || name === 'listSites' || name === 'listElders' || name === 'listInstitutions') refusedAsBadToken(await api('GET', withToken(c.path, t), { token: townshipStaff }));
      const [payload, signature] = t.split('.');
      for (const bad of [
        'made-up',
        Buffer.from(JSON.stringify({ pk: 'x', sk: 'y' })).toString('base64url'),
        `${Buffer.from(JSON.stringify({ pk: 'x', sk: 'y' })).toString('base64url')}.${signature}`,
        `${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`,
      ]) refusedAsBadToken(await api('GET', withToken(c.path, bad), { token: fx.staff }));
    }
  });
});
