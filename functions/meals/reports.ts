import { assertStaffCoversTownship, countyOf } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type * as z from 'zod/mini';
import type { anomalies, dailyReport, settlement } from '#shared/schemas/reports.js';
import * as registry from '../registry/store.js';
import { deathDateOf } from '../registry/domain/death.js';
import { assertOperatesSite } from './access.js';
import { addSummaries, daysOf, emptySummary, findAnomalies, groupBy, summarizeDay, type AnomalyServing } from './domain/reports.js';
import { settle, settlementCsv } from './domain/settlement.js';
import * as store from './store/index.js';

/** Runs `work` over `inputs` with at most `width` at a time, keeping the inputs' order; stops at the first failure. */
async function inParallel<I, O>(inputs: readonly I[], width: number, work: (input: I) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array(inputs.length);
  let next = 0;
  let failed = false;
  await Promise.all(Array.from({ length: Math.min(width, inputs.length) }, async () => {
    while (next < inputs.length && !failed) {
      const i = next++;
      try {
        out[i] = await work(inputs[i]!);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  }));
  return out;
}

/** What a report may read before it is handed to a background job instead (see monthlyAnomalies). */
export interface ReportBudget {
  /** Epoch milliseconds after which no further page is read. */
  readonly deadline: number;
  /** Servings read (across all days) after which no further page is read. */
  readonly maxServings: number;
}

/** A report stopped at its budget: the caller runs it as a job (202) instead of timing out. */
export class ReportOverBudget extends Error {
  constructor() {
    super('The report needs more than the synchronous budget.');
    this.name = 'ReportOverBudget';
  }
}

/** The serving fields the anomaly rules read: a tenth of a serving's size to transfer and decode. */
const anomalyFields = ['id', 'status', 'elderId', 'siteId', 'date', 'slot', 'servedAt', 'verifiedBy', 'clientRecordId'] as const;

/**
 * A month's servings of the county (or one township): one Query of each day's county-day
 * partition (in parallel), so the cost is the month's servings plus a fixed 28-31 small reads,
 * whatever the number of sites. With a budget, reading stops (ReportOverBudget) once it is spent.
 */
async function monthServings(county: string, month: string, township: string | undefined, budget?: ReportBudget): Promise<AnomalyServing[]> {
  let read = 0;
  const onPage = budget
    ? (n: number) => {
        read += n;
        if (read > budget.maxServings || Date.now() > budget.deadline) throw new ReportOverBudget();
      }
    : undefined;
  const days = await inParallel(daysOf(month), 8, (date) => store.countyDayServings(county, date, { township, fields: anomalyFields, ...(onPage && { onPage }) }));
  return days.flat();
}

/** The area a staff member's report covers: their county, narrowed to a township (undefined: the county). */
export function reportScope(p: Principal, township?: string): string | undefined {
  if (p.role !== 'staff') throw errors.forbidden('Reports are for civil-affairs staff.');
  const scope = township ?? p.township;
  if (scope) {
    if (countyOf(scope) !== p.county) throw errors.forbidden('This township belongs to another county.');
    assertStaffCoversTownship(p, scope);
  }
  return scope;
}

/**
 * The daily report: one Query of the county-day partition (or its township's part) and one of
 * the sites, so its cost follows the day's servings, not the number of sites.
 */
export async function daily(p: Principal, date: string, township?: string): Promise<z.input<typeof dailyReport>> {
  const scope = reportScope(p, township);
  const [sites, servings] = await Promise.all([store.listSites(p.county, scope), store.countyDayServings(p.county, date, { township: scope })]);
  const bySite = groupBy(servings, (s) => s.siteId);
  const perSite = sites.map((site) => ({ site, summary: summarizeDay(bySite.get(site.id) ?? []) }));
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
  // One Query of the site's part of each day's county partition: the site's servings plus
  // 28-31 small reads, whatever the size of the county.
  const servings = (await inParallel(daysOf(month), 8, (date) => store.siteServings(site, date))).flat();
  const elders = await registry.getElders(servings.filter((s) => s.subsidyFen > 0).map((s) => s.elderId));
  const result = settle(servings, elders);
  return {
    json: { siteId, siteName: site.name, month, ...result },
    csv: () => settlementCsv(result, { siteId, month }),
  };
}

/**
 * The month's anomalies of the caller's area. Its cost follows the month's servings (and the
 * elders served), not sites x days. With a budget it throws ReportOverBudget once the servings
 * read pass it: the handler then runs it as a job (functions/meals/report-jobs.ts).
 */
export async function monthlyAnomalies(p: Principal, month: string, township?: string, budget?: ReportBudget): Promise<z.input<typeof anomalies>> {
  const scope = reportScope(p, township);
  const servings = await monthServings(p.county, month, scope, budget);
  // Only the sites served at (their slot capacities): nothing to read for an empty month.
  const [sites, elders] = await Promise.all([store.getSites(servings.map((s) => s.siteId)), registry.getElders(servings.map((s) => s.elderId))]);
  const bySite = new Map(sites.map((s) => [s.id, s]));
  const items = findAnomalies({
    servings,
    capacity: (siteId, slot) => bySite.get(siteId)?.slots[slot]?.capacity,
    dateOfDeath: new Map([...elders.values()].flatMap((e) => {
      const d = deathDateOf(e);
      return d === undefined ? [] : [[e.id, d] as const];
    })),
  });
  return { month, ...(scope && { township: scope }), items };
}
