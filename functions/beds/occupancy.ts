import { staffCoversTownship } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import { cstDate } from '#shared/time.js';
import * as registry from '../registry/store.js';
import { occupancyFigures, vacantTagKey, zeroCounts, type CareType, type Counts } from './domain/occupancy.js';
import * as store from './store.js';

const STALE_DAYS = 7;

type CounterItem = Record<string, unknown> & { sk: string };

const countsOf = (item: Record<string, unknown> | undefined): Counts => {
  const c = zeroCounts();
  if (item) for (const k of Object.keys(c) as (keyof Counts)[]) c[k] = Number(item[k] ?? 0);
  return c;
};

function splitCounters(items: Record<string, unknown>[]) {
  const all = items as CounterItem[];
  return {
    county: all.find((i) => i.sk === 'COUNTY'),
    townships: all.filter((i) => i.sk.startsWith('TOWNSHIP#')).map((i) => ({ township: i.sk.slice(9), item: i })),
    institutions: all.filter((i) => i.sk.startsWith('INST#')).map((i) => ({ township: i.sk.split('#')[1]!, institutionId: String(i.institutionId), item: i })),
  };
}

/**
 * Occupancy for the county, a township or an institution: one Query of the county's counters
 * (one item per township and institution) and one of its townships' populations. Neither
 * grows with the number of beds.
 */
export async function readOccupancy(p: Principal, q: { township?: string; institutionId?: string }) {
  const [items, townships] = await Promise.all([store.countersOf(p.county), registry.listTownships(p.county)]);
  const { county, townships: tCounters, institutions } = splitCounters(items);
  const population = new Map(townships.map((t) => [t.code, t.elderlyPopulation]));
  const names = new Map(townships.map((t) => [t.code, t.name]));

  let township = q.township ?? p.township;
  let institution: (typeof institutions)[number] | undefined;
  if (q.institutionId) {
    institution = institutions.find((i) => i.institutionId === q.institutionId);
    if (!institution) throw errors.notFound('Institution');
    township = institution.township;
  }
  if (township && !staffCoversTownship(p, township)) throw errors.forbidden('This township is outside the caller\'s area.');

  const inScope = (code: string) => !township || code === township;
  const codes = [...new Set([...townships.map((t) => t.code), ...tCounters.map((t) => t.township)])].filter(inScope).sort();
  const byTownship = codes.map((code) => ({ township: code, ...(names.get(code) && { name: names.get(code) }), ...occupancyFigures(countsOf(tCounters.find((t) => t.township === code)?.item), population.get(code) ?? 0) }));
  const scopeCounts = institution ? countsOf(institution.item) : township ? countsOf(tCounters.find((t) => t.township === township)?.item) : countsOf(county);
  // An institution's residents come from anywhere: it has no population of its own.
  const scopePopulation = institution ? 0 : township ? (population.get(township) ?? 0) : [...population.values()].reduce((a, b) => a + b, 0);
  const showInstitutions = Boolean(township);
  return {
    scope: { county: p.county, ...(township && { township }), ...(institution && { institutionId: institution.institutionId }) },
    ...occupancyFigures(scopeCounts, scopePopulation),
    byTownship,
    ...(showInstitutions && {
      byInstitution: institutions
        .filter((i) => inScope(i.township) && (!institution || i.institutionId === institution.institutionId))
        .map((i) => ({ institutionId: i.institutionId, name: String(i.item.name ?? ''), township: i.township, ...occupancyFigures(countsOf(i.item), 0) })),
    }),
  };
}

export async function findVacancies(p: Principal, q: { careType?: CareType; township?: string; tag?: string }, now: Date) {
  const township = q.township ?? p.township;
  if (township && !staffCoversTownship(p, township)) throw errors.forbidden('This township is outside the caller\'s area.');
  const { institutions } = splitCounters(await store.countersOf(p.county));
  const vacantOf = (item: Record<string, unknown>): number => {
    const n = (k: string) => Number(item[k] ?? 0);
    if (q.tag) {
      const types: CareType[] = q.careType ? [q.careType] : ['nursing', 'ordinary'];
      return types.reduce((a, ct) => a + n(vacantTagKey(ct, q.tag!)), 0);
    }
    if (q.careType === 'nursing') return n('nursingVacant');
    if (q.careType === 'ordinary') return n('vacant') - n('nursingVacant');
    return n('vacant');
  };
  const items = institutions
    .filter((i) => !township || i.township === township)
    .map((i) => {
      const last = i.item.lastBedUpdateAt ? String(i.item.lastBedUpdateAt) : undefined;
      return {
        institutionId: i.institutionId,
        name: String(i.item.name ?? ''),
        township: i.township,
        kind: String(i.item.kind ?? ''),
        ...(i.item.starRating !== undefined && { starRating: Number(i.item.starRating) }),
        vacant: vacantOf(i.item),
        ...(last && { lastBedUpdateAt: last }),
        stale: !last || now.getTime() - Date.parse(last) > STALE_DAYS * 86_400_000,
      };
    })
    .filter((i) => i.vacant > 0)
    .sort((a, b) => Number(a.stale) - Number(b.stale) || b.vacant - a.vacant);
  return { items };
}

/** The daily history point: run by a schedule in AWS, on start and on a timer locally. Rerunning a day overwrites it. */
export async function snapshotOccupancy(now: Date): Promise<number> {
  const date = cstDate(now);
  let points = 0;
  for (const county of await store.countiesWithCounters()) {
    const { county: c, townships } = splitCounters(await store.countersOf(county));
    await store.putHistory(county, date, 'COUNTY', { ...countsOf(c) });
    for (const t of townships) await store.putHistory(county, date, `TOWNSHIP#${t.township}`, { ...countsOf(t.item) });
    points += 1 + townships.length;
  }
  return points;
}

export async function readHistory(p: Principal, q: { from: string; to: string; township?: string }) {
  if (q.from > q.to) throw errors.validation([{ path: 'to', message: 'must not be before from' }]);
  if (Date.parse(q.to) - Date.parse(q.from) > 366 * 86_400_000) throw errors.validation([{ path: 'from', message: 'at most one year per request' }]);
  const township = q.township ?? p.township;
  if (township && !staffCoversTownship(p, township)) throw errors.forbidden('This township is outside the caller\'s area.');
  const [rows, townships] = await Promise.all([store.historyOf(p.county, q.from, q.to), registry.listTownships(p.county)]);
  const population = new Map(townships.map((t) => [t.code, t.elderlyPopulation]));
  const scope = township ? `TOWNSHIP#${township}` : 'COUNTY';
  const pop = township ? (population.get(township) ?? 0) : [...population.values()].reduce((a, b) => a + b, 0);
  return { items: rows.filter((r) => r.scope === scope).map((r) => ({ date: String(r.date), ...occupancyFigures(countsOf(r), pop) })) };
}
