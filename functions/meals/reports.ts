import { assertStaffCoversTownship, countyOf } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type * as z from 'zod/mini';
import type { anomalies, dailyReport, settlement } from '#shared/schemas/reports.js';
import * as registry from '../registry/store.js';
import { deathDateOf } from '../registry/domain/death.js';
import { assertOperatesSite } from './access.js';
import type { MealSite, Serving } from './domain/model.js';
import { addSummaries, daysOf, emptySummary, findAnomalies, summarizeDay } from './domain/reports.js';
import { settle, settlementCsv } from './domain/settlement.js';
import * as store from './store.js';

/** Reads many (site, day) partitions with bounded parallelism: Query calls, never a Scan. */
async function servingsOf(pairs: readonly { siteId: string; date: string }[], width = 16): Promise<Serving[]> {
  const out: Serving[][] = new Array(pairs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, pairs.length) }, async () => {
    while (next < pairs.length) {
      const i = next++;
      out[i] = await store.siteServings(pairs[i]!.siteId, pairs[i]!.date);
    }
  }));
  return out.flat();
}

/** The sites a staff member's report covers: their county, narrowed to a township. */
async function reportSites(p: Principal, township?: string): Promise<MealSite[]> {
  if (p.role !== 'staff') throw errors.forbidden('Reports are for civil-affairs staff.');
  const scope = township ?? p.township;
  if (scope) {
    if (countyOf(scope) !== p.county) throw errors.forbidden('This township belongs to another county.');
    assertStaffCoversTownship(p, scope);
  }
  return store.listSites(p.county, scope);
}

export async function daily(p: Principal, date: string, township?: string): Promise<z.input<typeof dailyReport>> {
  const sites = await reportSites(p, township);
  const perSite = await Promise.all(sites.map(async (site) => ({ site, summary: summarizeDay(await store.siteServings(site.id, date)) })));
  return {
    date,
    ...((township ?? p.township) && { township: township ?? p.township }),
    sites: perSite.map(({ site, summary }) => ({ siteId: site.id, name: site.name, township: site.township, ...summary })),
    totals: perSite.reduce((acc, x) => addSummaries(acc, x.summary), emptySummary()),
  };
}

export async function monthlySettlement(p: Principal, siteId: string, month: string): Promise<{ json: z.input<typeof settlement>; csv: () => string }> {
  if (p.role !== 'staff') throw errors.forbidden('Settlement is for civil-affairs staff.');
  const site = await store.getSite(siteId);
  if (!site) throw errors.notFound('Meal site');
  assertOperatesSite(p, site);
  const servings = await servingsOf(daysOf(month).map((date) => ({ siteId, date })));
  const elders = await registry.getElders(servings.filter((s) => s.subsidyFen > 0).map((s) => s.elderId));
  const result = settle(servings, elders);
  return {
    json: { siteId, siteName: site.name, month, ...result },
    csv: () => settlementCsv(result, { siteId, month }),
  };
}

export async function monthlyAnomalies(p: Principal, month: string, township?: string): Promise<z.input<typeof anomalies>> {
  const sites = await reportSites(p, township);
  const servings = await servingsOf(sites.flatMap((s) => daysOf(month).map((date) => ({ siteId: s.id, date }))));
  const elders = await registry.getElders(servings.map((s) => s.elderId));
  const bySite = new Map(sites.map((s) => [s.id, s]));
  const items = findAnomalies({
    servings,
    capacity: (siteId, slot) => bySite.get(siteId)?.slots[slot]?.capacity,
    dateOfDeath: new Map([...elders.values()].flatMap((e) => {
      const d = deathDateOf(e);
      return d === undefined ? [] : [[e.id, d] as const];
    })),
  });
  return { month, ...((township ?? p.township) && { township: township ?? p.township }), items };
}
