/**
 * Occupancy arithmetic (pure). Every bed change is a transition of one bed from one status to
 * another (or from nothing, when added); its delta is applied, in the same transaction, to the
 * counters of the bed's institution, township and county. Reading occupancy then costs the
 * same for 100 beds or 100,000.
 */
export const bedStatuses = ['vacant', 'occupied', 'reserved', 'out_of_service'] as const;
export type BedStatus = (typeof bedStatuses)[number];
export const careTypes = ['nursing', 'ordinary'] as const;
export type CareType = (typeof careTypes)[number];

export interface BedShape {
  readonly careType: CareType;
  readonly tags: readonly string[];
}

/** Counter fields; `vacantTag:<careType>:<tag>` attributes are kept on institution counters only. */
export interface Counts {
  beds: number;
  occupied: number;
  vacant: number;
  reserved: number;
  outOfService: number;
  nursingBeds: number;
  nursingOccupied: number;
  nursingVacant: number;
  homeCareBeds: number;
}

export const zeroCounts = (): Counts => ({ beds: 0, occupied: 0, vacant: 0, reserved: 0, outOfService: 0, nursingBeds: 0, nursingOccupied: 0, nursingVacant: 0, homeCareBeds: 0 });

const statusField: Record<BedStatus, keyof Counts> = { vacant: 'vacant', occupied: 'occupied', reserved: 'reserved', out_of_service: 'outOfService' };

export interface Delta {
  readonly counts: Partial<Counts>;
  /** Changes of vacant beds per care type and tag, for the vacancy search. */
  readonly vacantTags: Record<string, number>;
}

export const vacantTagKey = (careType: CareType, tag: string) => `vacantTag:${careType}:${tag}`;

/** The counter change when `bed` goes from `from` to `to` (undefined: the bed does not exist). */
export function bedDelta(bed: BedShape, from: BedStatus | undefined, to: BedStatus | undefined): Delta {
  const counts: Partial<Counts> = {};
  const add = (k: keyof Counts, d: number) => {
    if (d) counts[k] = (counts[k] ?? 0) + d;
  };
  const nursing = bed.careType === 'nursing';
  for (const [status, sign] of [[from, -1], [to, 1]] as const) {
    if (!status) continue;
    add('beds', sign);
    add(statusField[status], sign);
    if (nursing) {
      add('nursingBeds', sign);
      if (status === 'occupied') add('nursingOccupied', sign);
      if (status === 'vacant') add('nursingVacant', sign);
    }
  }
  for (const k of Object.keys(counts) as (keyof Counts)[]) if (counts[k] === 0) delete counts[k];
  const vacantTags: Record<string, number> = {};
  const vacantChange = (to === 'vacant' ? 1 : 0) - (from === 'vacant' ? 1 : 0);
  if (vacantChange) for (const tag of bed.tags) vacantTags[vacantTagKey(bed.careType, tag)] = vacantChange;
  return { counts, vacantTags };
}

export function combine(...deltas: Delta[]): Delta {
  const counts: Partial<Counts> = {};
  const vacantTags: Record<string, number> = {};
  for (const d of deltas) {
    for (const [k, v] of Object.entries(d.counts) as [keyof Counts, number][]) counts[k] = (counts[k] ?? 0) + v;
    for (const [k, v] of Object.entries(d.vacantTags)) vacantTags[k] = (vacantTags[k] ?? 0) + v;
  }
  for (const k of Object.keys(counts) as (keyof Counts)[]) if (!counts[k]) delete counts[k];
  for (const k of Object.keys(vacantTags)) if (!vacantTags[k]) delete vacantTags[k];
  return { counts, vacantTags };
}

export const homeCareDelta = (d: 1 | -1): Delta => ({ counts: { homeCareBeds: d }, vacantTags: {} });

export const isEmpty = (d: Delta) => Object.keys(d.counts).length === 0 && Object.keys(d.vacantTags).length === 0;

/** The figures the county reads, from one set of counts and the elderly population. */
export function occupancyFigures(c: Counts, elderlyPopulation: number) {
  const rate = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : 0);
  return {
    beds: c.beds,
    occupied: c.occupied,
    vacant: c.vacant,
    reserved: c.reserved,
    outOfService: c.outOfService,
    occupancyRate: rate(c.occupied, c.beds),
    nursing: { beds: c.nursingBeds, occupied: c.nursingOccupied, vacant: c.nursingVacant },
    nursingShare: rate(c.nursingBeds, c.beds),
    homeCareBeds: c.homeCareBeds,
    elderlyPopulation,
    bedsPer1000Elders: elderlyPopulation ? Math.round((c.beds / elderlyPopulation) * 1000 * 10) / 10 : null,
  };
}

/** Recount from the beds themselves: what the counters must always equal (tests use this). */
export function recount(beds: readonly (BedShape & { status: BedStatus })[], homeCareBeds = 0): Counts {
  const c = zeroCounts();
  for (const b of beds) {
    const d = bedDelta(b, undefined, b.status).counts;
    for (const [k, v] of Object.entries(d) as [keyof Counts, number][]) c[k] += v;
  }
  c.homeCareBeds = homeCareBeds;
  return c;
}
