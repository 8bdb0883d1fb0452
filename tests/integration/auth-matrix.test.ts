import { beforeAll, describe, expect, it } from 'vitest';
import { routeList } from '../../shared/routes/index.js';
import { api, countyFixture, newIdNumber, token, uniqueCounty } from '../support/api.js';
import { siteBody } from '../support/meals.js';
import { useLocalEnv } from '../support/env.js';

/**
 * Who may do what: every route against every kind of caller, by role and by area. A new route
 * must be added here (the last test fails otherwise), so nobody ships a route whose
 * authorization was never exercised.
 */
type Caller =
  | 'staffCounty' | 'staffTownship' | 'staffOtherTownship' | 'staffOtherCounty'
  | 'familyLinked' | 'familyUnlinked' | 'site' | 'siteOtherCounty' | 'institution' | 'platform' | 'anonymous';

const callers: Caller[] = ['staffCounty', 'staffTownship', 'staffOtherTownship', 'staffOtherCounty', 'familyLinked', 'familyUnlinked', 'site', 'siteOtherCounty', 'institution', 'platform', 'anonymous'];

let fx: Awaited<ReturnType<typeof countyFixture>>;
let tokens: Record<Caller, string | undefined>;
let elder: { id: string; cardNo: string };
let siteId: string;
let lateSiteId: string;
let instId: string;
let reportId: string;
let applicationId: string;
/** A fresh open application for a fresh elder linked to the family 'fam-linked'. */
const linkedApplication = async () => {
  const e = await fx.register();
  await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: 'fam-linked', relation: 'child' } });
  return (await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: e.id, careType: 'nursing', township: fx.otherTownship } })).body.id as string;
};
/**
 * A fresh open offer at the matrix's institution: an application naming it, then a bed added
 * there (the product offers it at once). The matrix's other applications prefer the other
 * township, so the beds other rows add there are never offered to them.
 */
const freshOffer = async () => {
  const e = await fx.register();
  const filed = await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: e.id, careType: 'ordinary', institutionIds: [instId] } });
  if (filed.status !== 201) throw new Error(`filing failed: ${JSON.stringify(filed.body)}`);
  // A bed another row left vacant may be offered to it at filing already.
  if (filed.body.offerId) return filed.body.offerId as string;
  const bed = (await api('POST', `/v1/institutions/${instId}/beds`, { token: fx.staff, body: { beds: [{ label: `O${n++}`, careType: 'ordinary' }] } })).body.items[0];
  if (!bed.offerId) throw new Error(`no offer was made for the new bed: ${JSON.stringify(bed)}`);
  return bed.offerId as string;
};
let offerId: string;
const freshBed = async () => {
  const r = await api('POST', `/v1/institutions/${instId}/beds`, { token: fx.staff, body: { beds: [{ label: `M${n++}`, careType: 'nursing' }] } });
  return r.body.items[0].id as string;
};
const admittedElder = async () => {
  const e = await fx.register();
  await api('POST', `/v1/institutions/${instId}/admissions`, { token: fx.staff, body: { bedId: await freshBed(), elderId: e.id, admittedAt: new Date().toISOString() } });
  return e.id;
};
let n = 0;
const slotNames = ['breakfast', 'lunch', 'dinner'] as const;
const tomorrowPlus = (k: number) => new Date(Date.now() + 8 * 3600_000 + (1 + k) * 86_400_000).toISOString().slice(0, 10);
/** A (date, slot) the elder has not booked yet: bookings for one elder never collide. */
const nextDateSlot = () => {
  const k = n++;
  return { date: tomorrowPlus(k % 28), slot: slotNames[Math.floor(k / 28) % 3]! };
};

beforeAll(async () => {
  fx = await countyFixture();
  const other = uniqueCounty();
  const cardNo = `AUTH-${fx.county}`;
  elder = { id: (await fx.register({ cardNo })).id, cardNo };
  await api('POST', `/v1/elders/${elder.id}/family-links`, { token: fx.staff, body: { familySub: 'fam-linked', relation: 'child' } });
  siteId = (await api('POST', '/v1/meal-sites', { token: fx.staff, body: siteBody(fx.township) })).body.id;
  lateSiteId = (await api('POST', '/v1/meal-sites', { token: fx.staff, body: siteBody(fx.township, { slots: { dinner: { capacity: 50, priceFen: 800, cutoff: '23:59' } } }) })).body.id;
  instId = (await api('POST', '/v1/institutions', { token: fx.staff, body: { name: '矩阵敬老院', township: fx.township, kind: 'welfare_home' } })).body.id;
  await api('PUT', '/v1/subsidy-policy', { token: fx.staff, body: { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 300 }] } });
  await api('PUT', '/v1/admission-policy', { token: fx.staff, body: { effectiveFrom: '2020-01-01', classes: [{ name: '特困', match: { categories: ['tekun'] } }], declinesBeforeRequeue: 2 } });
  applicationId = (await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: elder.id, careType: 'nursing', township: fx.otherTownship } })).body.id;
  offerId = await freshOffer();
  tokens = {
    staffCounty: fx.staff,
    staffTownship: await token({ role: 'staff', sub: 'st-t1', county: fx.county, township: fx.township }),
    staffOtherTownship: await token({ role: 'staff', sub: 'st-t2', county: fx.county, township: fx.otherTownship }),
    staffOtherCounty: await token({ role: 'staff', sub: 'st-other', county: other }),
    familyLinked: await token({ role: 'family', sub: 'fam-linked', county: fx.county }),
    familyUnlinked: await token({ role: 'family', sub: 'fam-other', county: fx.county }),
    site: await token({ role: 'site', sub: 'site-dev', county: fx.county, site: siteId }),
    siteOtherCounty: await token({ role: 'site', sub: 'site-dev-2', county: other, site: 'site-2' }),
    institution: await token({ role: 'institution', sub: 'inst-user', county: fx.county, institution: instId }),
    platform: await token({ role: 'platform', sub: 'platform', county: fx.county }),
    anonymous: undefined,
  };
  // A county-wide report job, finished before the matrix reads it.
  const job = await api('GET', `/v1/reports/meals/anomalies?month=${tomorrowPlus(-1).slice(0, 7)}`, { token: fx.staff, headers: { prefer: 'respond-async' } });
  reportId = job.body.reportId;
  for (let i = 0; i < 100 && (await api('GET', `/v1/reports/jobs/${reportId}`, { token: fx.staff })).status === 202; i++) await new Promise((ok) => setTimeout(ok, 50));
});

interface Case {
  request: () => { method: string; path: string; body?: unknown } | Promise<{ method: string; path: string; body?: unknown }>;
  expect: Record<Caller, number>;
}

const row = (staffCounty: number, staffTownship: number, staffOtherTownship: number, staffOtherCounty: number, familyLinked: number, familyUnlinked: number, site: number, siteOtherCounty: number, institution: number, platform: number, anonymous: number): Record<Caller, number> =>
  ({ staffCounty, staffTownship, staffOtherTownship, staffOtherCounty, familyLinked, familyUnlinked, site, siteOtherCounty, institution, platform, anonymous });

const matrix: Record<string, Case> = {
  health: { request: () => ({ method: 'GET', path: '/v1/health' }), expect: row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200) },
  openapi: { request: () => ({ method: 'GET', path: '/v1/openapi.json' }), expect: row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200) },
  // Township settings are county business: township staff may not change them.
  putTownship: {
    request: () => ({ method: 'PUT', path: `/v1/townships/${fx.township}`, body: { name: '城关镇', elderlyPopulation: 5000 } }),
    expect: row(200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  registerElder: {
    request: () => ({ method: 'POST', path: '/v1/elders', body: { idNumber: newIdNumber(fx.county), name: `矩阵${n++}`, township: fx.township } }),
    expect: row(201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  getElder: {
    request: () => ({ method: 'GET', path: `/v1/elders/${elder.id}` }),
    expect: row(200, 200, 403, 403, 200, 403, 200, 403, 403, 403, 401),
  },
  // Family accounts only; each sees its own links (an unlinked family an empty list).
  myElders: {
    request: () => ({ method: 'GET', path: '/v1/me/elders' }),
    expect: row(403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 401),
  },
  // Another county's caller gets 404: a lookup must not confirm someone is registered elsewhere.
  lookupElder: {
    request: () => ({ method: 'POST', path: '/v1/elders/lookup', body: { cardNo: elder.cardNo } }),
    expect: row(200, 200, 403, 404, 403, 403, 200, 404, 200, 403, 401),
  },
  linkFamily: {
    request: () => ({ method: 'POST', path: `/v1/elders/${elder.id}/family-links`, body: { familySub: `fam-${n++}`, relation: 'child' } }),
    expect: row(201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  // Administration (issue 14): staff of the record's area only; another township's or county's
  // staff get 403 as everywhere (a list asked for a township outside the area too).
  // The audit trail: county staff of the elder's county only (township staff 403, another county 404).
  elderAudit: { request: () => ({ method: 'GET', path: `/v1/elders/${elder.id}/audit` }), expect: row(200, 403, 403, 404, 403, 403, 403, 403, 403, 403, 401) },
  listElders: { request: () => ({ method: 'GET', path: `/v1/elders?township=${fx.township}` }), expect: row(200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 401) },
  patchElder: {
    request: () => ({ method: 'PATCH', path: `/v1/elders/${elder.id}`, body: { capabilityLevel: 2 } }),
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  unlinkFamily: {
    request: async () => {
      const sub = `fam-unlink-${n++}`;
      await api('POST', `/v1/elders/${elder.id}/family-links`, { token: fx.staff, body: { familySub: sub, relation: 'child' } });
      return { method: 'DELETE', path: `/v1/elders/${elder.id}/family-links/${sub}` };
    },
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  patchSite: {
    request: () => ({ method: 'PATCH', path: `/v1/meal-sites/${siteId}`, body: { address: '城关镇人民路 1 号' } }),
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  listInstitutions: { request: () => ({ method: 'GET', path: `/v1/institutions?township=${fx.township}` }), expect: row(200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 401) },
  // Its own staff read it too (and only it).
  getInstitution: { request: () => ({ method: 'GET', path: `/v1/institutions/${instId}` }), expect: row(200, 200, 403, 403, 403, 403, 403, 403, 200, 403, 401) },
  patchInstitution: {
    request: () => ({ method: 'PATCH', path: `/v1/institutions/${instId}`, body: { starRating: 3 } }),
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  createSite: {
    request: () => ({ method: 'POST', path: '/v1/meal-sites', body: siteBody(fx.township) }),
    expect: row(201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  // Any role reads its own county's sites; another county's caller sees its own (empty) list.
  listSites: { request: () => ({ method: 'GET', path: '/v1/meal-sites' }), expect: row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401) },
  getSite: { request: () => ({ method: 'GET', path: `/v1/meal-sites/${siteId}` }), expect: row(200, 200, 200, 403, 200, 200, 200, 403, 200, 200, 401) },
  availability: {
    request: () => ({ method: 'GET', path: `/v1/meal-sites/${siteId}/availability?date=${tomorrowPlus(0)}` }),
    expect: row(200, 200, 200, 403, 200, 200, 200, 403, 200, 200, 401),
  },
  putMenu: {
    request: () => ({ method: 'PUT', path: `/v1/meal-sites/${siteId}/menus/${tomorrowPlus(0)}`, body: { slots: { lunch: [{ name: '米饭' }] } } }),
    expect: row(200, 200, 403, 403, 403, 403, 200, 403, 403, 403, 401),
  },
  getMenu: {
    request: () => ({ method: 'GET', path: `/v1/meal-sites/${siteId}/menus/${tomorrowPlus(0)}` }),
    expect: row(200, 200, 200, 403, 200, 200, 200, 403, 200, 200, 401),
  },
  // County policy: county-level staff only, and always their own county's (another county's
  // staff set theirs). Reading is scoped to the caller's county (none in force elsewhere).
  putPolicy: {
    request: () => ({ method: 'PUT', path: '/v1/subsidy-policy', body: { effectiveFrom: '2099-01-01', rules: [] } }),
    expect: row(200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 401),
  },
  getPolicy: { request: () => ({ method: 'GET', path: '/v1/subsidy-policy' }), expect: row(200, 200, 200, 404, 200, 200, 200, 404, 403, 403, 401) },
  createBooking: {
    request: () => ({ method: 'POST', path: '/v1/bookings', body: { elderId: elder.id, siteId, ...nextDateSlot(), mode: 'dine_in' } }),
    expect: row(201, 201, 403, 403, 201, 403, 201, 403, 403, 403, 401),
  },
  listBookings: {
    request: () => ({ method: 'GET', path: `/v1/bookings?elderId=${elder.id}` }),
    expect: row(200, 200, 403, 403, 200, 403, 403, 403, 403, 403, 401),
  },
  kitchenList: {
    request: () => ({ method: 'GET', path: `/v1/meal-sites/${siteId}/bookings?date=${tomorrowPlus(0)}` }),
    expect: row(200, 200, 403, 403, 403, 403, 200, 403, 403, 403, 401),
  },
  cancelBooking: {
    request: async () => {
      const b = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId, ...nextDateSlot(), mode: 'dine_in' } });
      return { method: 'POST', path: `/v1/bookings/${b.body.id}/cancel` };
    },
    expect: row(200, 200, 403, 403, 200, 403, 200, 403, 403, 403, 401),
  },
  recordServings: {
    request: () => ({ method: 'POST', path: `/v1/meal-sites/${siteId}/servings`, body: { records: [{ clientRecordId: `m-${n++}`, elderId: elder.id, servedAt: new Date().toISOString(), slot: 'lunch', mode: 'dine_in', verifiedBy: 'face' }] } }),
    expect: row(403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 401),
  },
  listServings: {
    request: () => ({ method: 'GET', path: `/v1/meal-sites/${siteId}/servings?date=${tomorrowPlus(-1)}` }),
    expect: row(200, 200, 403, 403, 403, 403, 200, 403, 403, 403, 401),
  },
  voidServing: {
    request: async () => {
      const r = await api('POST', `/v1/meal-sites/${siteId}/servings`, { token: tokens.site!, body: { records: [{ clientRecordId: `v-${n++}`, elderId: elder.id, servedAt: new Date().toISOString(), slot: 'dinner', mode: 'dine_in', verifiedBy: 'manual' }] } });
      return { method: 'POST', path: `/v1/servings/${r.body.results[0].servingId}/void`, body: { reason: '测试作废' } };
    },
    expect: row(200, 200, 403, 403, 403, 403, 200, 403, 403, 403, 401),
  },
  // Reports: staff only; every staff member sees their own area (possibly empty).
  dailyReport: { request: () => ({ method: 'GET', path: `/v1/reports/meals/daily?date=${tomorrowPlus(-1)}` }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 401) },
  settlementReport: {
    request: () => ({ method: 'GET', path: `/v1/reports/meals/settlement?month=${tomorrowPlus(-1).slice(0, 7)}&siteId=${siteId}` }),
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  anomaliesReport: { request: () => ({ method: 'GET', path: `/v1/reports/meals/anomalies?month=${tomorrowPlus(-1).slice(0, 7)}` }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 401) },
  // A report job is for staff whose area its report covers (county-wide here); another
  // county's staff can't even address it: 404.
  getReportJob: { request: () => ({ method: 'GET', path: `/v1/reports/jobs/${reportId}` }), expect: row(200, 403, 403, 404, 403, 403, 403, 403, 403, 403, 401) },
  listAlerts: { request: () => ({ method: 'GET', path: '/v1/alerts' }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 401) },
  // A fresh alert per call: a living-alone elder misses today's dinner; the job runs "tomorrow".
  // Another county's staff can't even address it (alerts are keyed by county): 404.
  closeAlert: {
    request: async () => {
      useLocalEnv();
      const { runNoShows } = await import('../../functions/meals/no-shows.js');
      const alone = await fx.register({ categories: ['living_alone'] });
      const today = tomorrowPlus(-1);
      await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: alone.id, siteId: lateSiteId, date: today, slot: 'dinner', mode: 'dine_in' } });
      await runNoShows(new Date(Date.parse(`${tomorrowPlus(0)}T08:00:00+08:00`)), { counties: [fx.county] });
      const alerts = await api('GET', '/v1/alerts', { token: fx.staff });
      const alert = alerts.body.items.find((a: { elderId: string }) => a.elderId === alone.id);
      return { method: 'POST', path: `/v1/alerts/${alert.id}/close`, body: { note: '已探访' } };
    },
    expect: row(200, 200, 403, 404, 403, 403, 403, 403, 403, 403, 401),
  },
  reportDeceased: {
    request: async () => ({ method: 'POST', path: `/v1/elders/${(await fx.register()).id}/deceased`, body: { dateOfDeath: tomorrowPlus(-1) } }),
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  createInstitution: {
    request: () => ({ method: 'POST', path: '/v1/institutions', body: { name: '新机构', township: fx.township, kind: 'private' } }),
    expect: row(201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  // Institution staff act for their own institution only; civil-affairs staff for their area.
  addBeds: {
    request: () => ({ method: 'POST', path: `/v1/institutions/${instId}/beds`, body: { beds: [{ label: `N${n++}`, careType: 'ordinary' }] } }),
    expect: row(201, 201, 403, 403, 403, 403, 403, 403, 201, 403, 401),
  },
  // Signed by the platform, not by a token: whoever calls without a valid signature gets 401.
  platformWebhook: { request: () => ({ method: 'POST', path: '/v1/platform/webhooks', body: { type: 'elder.enrolled' } }), expect: row(401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401) },
  // The feed is the platform's; reconciliation counts are for it and any staff of the county;
  // dead letters (and their replay) are county-level operations. Another county's staff see
  // only their own county's (none here).
  eventFeed: { request: () => ({ method: 'GET', path: '/v1/platform/events' }), expect: row(403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 401) },
  reconciliation: { request: () => ({ method: 'GET', path: '/v1/platform/reconciliation?date=2026-11-24' }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 403, 200, 401) },
  listDeadLetters: { request: () => ({ method: 'GET', path: '/v1/platform/dead-letters' }), expect: row(200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 401) },
  replayDeadLetters: { request: () => ({ method: 'POST', path: '/v1/platform/dead-letters/replay', body: {} }), expect: row(200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 401) },
  bedLog: { request: () => ({ method: 'GET', path: `/v1/institutions/${instId}/log` }), expect: row(200, 200, 403, 403, 403, 403, 403, 403, 200, 403, 401) },
  listBeds: { request: () => ({ method: 'GET', path: `/v1/institutions/${instId}/beds` }), expect: row(200, 200, 403, 403, 403, 403, 403, 403, 200, 403, 401) },
  admit: {
    request: async () => ({ method: 'POST', path: `/v1/institutions/${instId}/admissions`, body: { bedId: await freshBed(), elderId: (await fx.register()).id, admittedAt: new Date().toISOString() } }),
    expect: row(201, 201, 403, 403, 403, 403, 403, 403, 201, 403, 401),
  },
  discharge: {
    request: async () => ({ method: 'POST', path: `/v1/institutions/${instId}/discharges`, body: { elderId: await admittedElder(), dischargedAt: new Date().toISOString(), reason: '出院' } }),
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 200, 403, 401),
  },
  transfer: {
    request: async () => ({ method: 'POST', path: `/v1/institutions/${instId}/transfers`, body: { elderId: await admittedElder(), toBedId: await freshBed() } }),
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 200, 403, 401),
  },
  setBedStatus: {
    request: async () => ({ method: 'PUT', path: `/v1/beds/${await freshBed()}/status`, body: { status: 'reserved' } }),
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 200, 403, 401),
  },
  openHomeCareBed: {
    request: async () => ({ method: 'POST', path: '/v1/home-care-beds', body: { elderId: (await fx.register()).id, institutionId: instId, address: '家中', startedAt: '2026-11-01' } }),
    expect: row(201, 201, 403, 403, 403, 403, 403, 403, 201, 403, 401),
  },
  closeHomeCareBed: {
    request: async () => {
      const h = await api('POST', '/v1/home-care-beds', { token: fx.staff, body: { elderId: (await fx.register()).id, institutionId: instId, address: '家中', startedAt: '2026-11-01' } });
      return { method: 'POST', path: `/v1/home-care-beds/${h.body.id}/close`, body: { closedAt: '2026-11-20' } };
    },
    expect: row(200, 200, 403, 403, 403, 403, 403, 403, 200, 403, 401),
  },
  // The waiting list (issue 16). The admission policy is county business, like the subsidy
  // policy. Applications: staff of the elder's area (another county's staff can't address the
  // elder: 404); a family reads and withdraws its own elder's only, and another family learns
  // nothing, not even that the id exists (404). Every staff member lists their own area's queue.
  putAdmissionPolicy: {
    request: () => ({ method: 'PUT', path: '/v1/admission-policy', body: { effectiveFrom: '2099-01-01', classes: [], declinesBeforeRequeue: 2 } }),
    expect: row(200, 403, 403, 200, 403, 403, 403, 403, 403, 403, 401),
  },
  getAdmissionPolicy: { request: () => ({ method: 'GET', path: '/v1/admission-policy' }), expect: row(200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 401) },
  fileApplication: {
    request: async () => ({ method: 'POST', path: '/v1/bed-applications', body: { elderId: (await fx.register()).id, careType: 'ordinary', township: fx.otherTownship } }),
    expect: row(201, 201, 403, 404, 403, 403, 403, 403, 403, 403, 401),
  },
  listApplications: { request: () => ({ method: 'GET', path: '/v1/bed-applications' }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 401) },
  getApplication: { request: () => ({ method: 'GET', path: `/v1/bed-applications/${applicationId}` }), expect: row(200, 200, 403, 403, 200, 404, 403, 403, 403, 403, 401) },
  withdrawApplication: {
    request: async () => ({ method: 'POST', path: `/v1/bed-applications/${await linkedApplication()}/withdraw` }),
    expect: row(200, 200, 403, 403, 200, 404, 403, 403, 403, 403, 401),
  },
  // Found from the elder (the family page's way in): the same answers as by application id.
  getElderApplication: { request: () => ({ method: 'GET', path: `/v1/elders/${elder.id}/bed-application` }), expect: row(200, 200, 403, 403, 200, 404, 403, 403, 403, 403, 401) },
  // Offers: the institution's own account and staff of its area (another area's staff 403;
  // another county's staff have no such offer: 404). Figures are for civil-affairs staff.
  listOffers: { request: () => ({ method: 'GET', path: '/v1/offers' }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 200, 403, 401) },
  getOffer: { request: () => ({ method: 'GET', path: `/v1/offers/${offerId}` }), expect: row(200, 200, 403, 404, 403, 403, 403, 403, 200, 403, 401) },
  acceptOffer: {
    request: async () => ({ method: 'POST', path: `/v1/offers/${await freshOffer()}/accept`, body: { admittedAt: new Date().toISOString() } }),
    expect: row(201, 201, 403, 404, 403, 403, 403, 403, 201, 403, 401),
  },
  declineOffer: {
    request: async () => ({ method: 'POST', path: `/v1/offers/${await freshOffer()}/decline`, body: { reason: '家属另有安排' } }),
    expect: row(200, 200, 403, 404, 403, 403, 403, 403, 200, 403, 401),
  },
  waitingListFigures: { request: () => ({ method: 'GET', path: '/v1/waiting-list/figures?from=2026-01&to=2026-12' }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 401) },
  // County figures are for civil-affairs staff; each sees their own area.
  occupancy: { request: () => ({ method: 'GET', path: '/v1/occupancy' }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 401) },
  vacancies: { request: () => ({ method: 'GET', path: '/v1/vacancies' }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 401) },
  occupancyHistory: { request: () => ({ method: 'GET', path: '/v1/occupancy/history?from=2026-11-01&to=2026-11-30' }), expect: row(200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 401) },
};

describe.each(Object.entries(matrix))('%s', (_name, c) => {
  it.each(callers)('%s', async (caller) => {
    const req = await c.request();
    const r = await api(req.method, req.path, { ...(tokens[caller] && { token: tokens[caller] }), ...(req.body !== undefined && { body: req.body }) });
    expect(r.status, JSON.stringify(r.body)).toBe(c.expect[caller]);
    if (r.status === 403) expect(r.body.error.code).toBe('FORBIDDEN');
    // A refused caller never gets the record.
    if (r.status >= 400) expect(JSON.stringify(r.body)).not.toContain('王秀英');
  });
});

describe('tokens the authorizer refuses', () => {
  it.each([
    ['expired', async () => token({ role: 'staff', county: fx.county, ttl: -60 })],
    ['tampered', async () => {
      const t = await token({ role: 'staff', county: fx.county });
      const [h, p, s] = t.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims['custom:county'] = '110105';
      return [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
    }],
    ['not a JWT', async () => 'hello'],
  ])('%s token: 401', async (_n, make) => {
    const r = await api('GET', `/v1/elders/${elder.id}`, { token: await make() });
    expect(r.status).toBe(401);
  });

  it('a validly signed token with two roles of its realm is refused with 403', async () => {
    const t = await token({ role: 'staff', groups: ['staff', 'institution'], county: fx.county });
    const r = await api('GET', `/v1/elders/${elder.id}`, { token: t });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('exactly one role');
  });

  it('a token with a role of the other realm is refused by the authorizer (401): staff sign in apart from families', async () => {
    const t = await token({ role: 'staff', groups: ['staff', 'family'], county: fx.county });
    expect((await api('GET', `/v1/elders/${elder.id}`, { token: t })).status).toBe(401);
  });
});

it('covers every route in the route table', () => {
  expect(Object.keys(matrix).sort()).toEqual(routeList.map((r) => r.name).sort());
});
