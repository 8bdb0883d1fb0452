import type { Serving } from './model.js';
import { modes, slots } from './subsidy.js';

/**
 * Report arithmetic over servings: pure functions, so totals can be checked against line
 * items without a database. Voided servings are kept on record but count for nothing.
 */
export const counted = (s: Pick<Serving, 'status'>) => s.status === 'recorded';

export interface SiteDaySummary {
  readonly servings: number;
  readonly bySlot: Record<(typeof slots)[number], number>;
  readonly byMode: Record<(typeof modes)[number], number>;
  readonly subsidisedMeals: number;
  readonly subsidyFen: number;
  readonly distinctElders: number;
  readonly siteSubsidyFen: number;
  readonly voided: number;
}

/** One site's day: what the daily report shows per site. */
export function summarizeDay(servings: readonly Serving[]): SiteDaySummary {
  const live = servings.filter(counted);
  const bySlot = Object.fromEntries(slots.map((s) => [s, live.filter((x) => x.slot === s).length])) as SiteDaySummary['bySlot'];
  const byMode = Object.fromEntries(modes.map((m) => [m, live.filter((x) => x.mode === m).length])) as SiteDaySummary['byMode'];
  const elders = new Set(live.map((s) => s.elderId));
  // The per-diner site subsidy of the policy in force that day (all servings of a day share it).
  const perDiner = live.find((s) => s.siteSubsidyPerDinerFen !== undefined)?.siteSubsidyPerDinerFen ?? 0;
  return {
    servings: live.length,
    bySlot,
    byMode,
    subsidisedMeals: live.filter((s) => s.subsidyFen > 0).length,
    subsidyFen: live.reduce((n, s) => n + s.subsidyFen, 0),
    distinctElders: elders.size,
    siteSubsidyFen: elders.size * perDiner,
    voided: servings.length - live.length,
  };
}

export function addSummaries(a: SiteDaySummary, b: SiteDaySummary): SiteDaySummary {
  const sum = <K extends string>(x: Record<K, number>, y: Record<K, number>) => Object.fromEntries(Object.keys(x).map((k) => [k, x[k as K] + y[k as K]])) as Record<K, number>;
  return {
    servings: a.servings + b.servings,
    bySlot: sum(a.bySlot, b.bySlot),
    byMode: sum(a.byMode, b.byMode),
    subsidisedMeals: a.subsidisedMeals + b.subsidisedMeals,
    subsidyFen: a.subsidyFen + b.subsidyFen,
    distinctElders: a.distinctElders + b.distinctElders,
    siteSubsidyFen: a.siteSubsidyFen + b.siteSubsidyFen,
    voided: a.voided + b.voided,
  };
}

export const emptySummary = (): SiteDaySummary => summarizeDay([]);

/** Days of a `YYYY-MM` month, as dates. */
export function daysOf(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** The fields of a serving the anomaly rules read (reports read only these). */
export type AnomalyServing = Pick<Serving, 'id' | 'status' | 'elderId' | 'siteId' | 'date' | 'slot' | 'servedAt' | 'verifiedBy' | 'clientRecordId'>;

export interface AnomalyInput {
  readonly servings: readonly AnomalyServing[];
  readonly capacity: (siteId: string, slot: Serving['slot']) => number | undefined;
  /** Date of death (CST `YYYY-MM-DD`) of each deceased elder, by elder id; the living are absent. */
  readonly dateOfDeath: ReadonlyMap<string, string>;
}

export type Anomaly =
  | { kind: 'two_sites_within_30_minutes'; elderId: string; servingIds: [string, string]; siteIds: [string, string]; minutesApart: number }
  | { kind: 'over_capacity'; siteId: string; date: string; slot: string; servings: number; capacity: number }
  | { kind: 'deceased_elder_served'; elderId: string; servingId: string; siteId: string; date: string; dateOfDeath: string }
  | { kind: 'manual_verification_share'; siteId: string; manualShare: number; countyManualShare: number; servings: number }
  | { kind: 'record_id_on_two_dates'; siteId: string; clientRecordId: string; servingIds: string[]; dates: string[] };

/**
 * What a subsidy auditor would question. The manual-verification rule flags a site with at
 * least 20 servings whose manual share is both over twice the county's and 20 points above it.
 * A serving of a deceased elder is questioned only when dated on or after the date of death:
 * the meals before it were the living elder's (a death reported later, or corrected to an
 * earlier date, can leave such servings on record; voiding them is the auditor's call).
 */
export function findAnomalies({ servings, capacity, dateOfDeath }: AnomalyInput): Anomaly[] {
  const live = servings.filter(counted);
  const out: Anomaly[] = [];

  const byElder = groupBy(live, (s) => s.elderId);
  for (const [elderId, list] of byElder) {
    list.sort((a, b) => a.servedAt.localeCompare(b.servedAt));
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      const minutes = (Date.parse(b.servedAt) - Date.parse(a.servedAt)) / 60_000;
      if (a.siteId !== b.siteId && minutes <= 30) {
        out.push({ kind: 'two_sites_within_30_minutes', elderId, servingIds: [a.id, b.id], siteIds: [a.siteId, b.siteId], minutesApart: Math.round(minutes) });
      }
    }
  }

  const bySlot = groupBy(live, (s) => `${s.siteId}|${s.date}|${s.slot}`);
  for (const [key, list] of bySlot) {
    const [siteId, date, slot] = key.split('|') as [string, string, Serving['slot']];
    const cap = capacity(siteId, slot);
    if (cap !== undefined && list.length > cap) out.push({ kind: 'over_capacity', siteId, date, slot, servings: list.length, capacity: cap });
  }

  for (const s of live) {
    const died = dateOfDeath.get(s.elderId);
    if (died !== undefined && s.date >= died) out.push({ kind: 'deceased_elder_served', elderId: s.elderId, servingId: s.id, siteId: s.siteId, date: s.date, dateOfDeath: died });
  }

  const countyShare = live.length ? live.filter((s) => s.verifiedBy === 'manual').length / live.length : 0;
  const bySite = groupBy(live, (s) => s.siteId);
  for (const [siteId, list] of bySite) {
    const share = list.filter((s) => s.verifiedBy === 'manual').length / list.length;
    if (list.length >= 20 && share > 2 * countyShare && share - countyShare > 0.2) {
      out.push({ kind: 'manual_verification_share', siteId, manualShare: round2(share), countyManualShare: round2(countyShare), servings: list.length });
    }
  }

  // One clientRecordId on servings of two dates at one site: the request path refuses a reused
  // id on the same date and within one request, but the date is part of a serving's key, so two
  // requests on different dates are caught here instead (at no cost on the request path).
  const byRecordId = new Map<string, AnomalyServing[]>();
  for (const s of live) byRecordId.set(`${s.siteId}|${s.clientRecordId}`, [...(byRecordId.get(`${s.siteId}|${s.clientRecordId}`) ?? []), s]);
  for (const list of byRecordId.values()) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date));
    out.push({ kind: 'record_id_on_two_dates', siteId: sorted[0]!.siteId, clientRecordId: sorted[0]!.clientRecordId, servingIds: sorted.map((s) => s.id), dates: sorted.map((s) => s.date) });
  }
  return out;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Items grouped by a key, in their order. Appends in place: a month of a county's servings is hundreds of thousands. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
