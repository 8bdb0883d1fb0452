import type * as z from 'zod/mini';
import type { offer as offerSchema, waitingListFigures } from '#shared/schemas/offers.js';
import { cstDate } from '#shared/time.js';
import { type InstitutionKind, waitingListKinds } from '#shared/institution-kinds.js';
import type { BedApplication } from './applications.js';
import type { CareType } from './occupancy.js';

/**
 * Offers of the waiting list (轮候配床), pure: which vacant bed goes to which application, when
 * a hold ends, and the figures. No I/O; the store makes each pairing one conditional write, so
 * races can only make a pairing fail, never give a bed or an elder two offers.
 */

export type Offer = z.output<typeof offerSchema>;
type Figures = z.input<typeof waitingListFigures>;

/** The institutions whose beds the waiting list fills (shared/institution-kinds.ts). */
export const WAITING_LIST_KINDS: ReadonlySet<InstitutionKind> = new Set(waitingListKinds);

const DAY_MS = 86_400_000;

/** When an offer made at `madeAt` (ISO) stops holding its bed: `holdDays` x 24 hours later (ISO). */
export const expiryOf = (madeAt: string, holdDays: number): string => new Date(Date.parse(madeAt) + holdDays * DAY_MS).toISOString();

/** Is the offer past its hold at `now`? (An open offer at exactly expiresAt is past it.) */
export const isLapsed = (o: Pick<Offer, 'expiresAt'>, now: Date): boolean => Date.parse(o.expiresAt) <= now.getTime();

/** What matching needs of a vacant bed. */
export interface VacantBed {
  readonly id: string;
  readonly label: string;
  readonly careType: CareType;
  readonly tags: readonly string[];
}

/** What matching needs of an application in queue order: the stored application (with the beds it declined and when). */
export type Candidate = Pick<BedApplication, 'id' | 'status' | 'careType' | 'tags'> & { readonly declinedBeds?: readonly string[]; readonly declinedAt?: readonly string[] };

/**
 * Is the application resting at `now` after its last decline (or lapse)? It is, for `restDays`
 * x 24 hours (the policy's hold days): it keeps its place, but the beds free at the moment it
 * declined are not pressed on it one after another; the next offer comes with a later vacancy
 * (放弃后保留轮候资格，下次有空床再通知).
 */
export function isResting(a: Pick<Candidate, 'declinedAt'>, now: Date, restDays: number): boolean {
  const last = a.declinedAt?.at(-1);
  return last !== undefined && Date.parse(last) + restDays * DAY_MS > now.getTime();
}

/**
 * Does the bed suit the application? The same care type (a nursing application needs a nursing
 * bed, and a nursing bed is not spent on someone who needs none), every care tag the elder needs
 * (dementia_care...) on the bed, and not a bed this application already declined or let lapse.
 */
export function bedSuits(bed: VacantBed, a: Candidate): boolean {
  return a.careType === bed.careType && a.tags.every((t) => bed.tags.includes(t)) && !(a.declinedBeds ?? []).includes(bed.id);
}

/**
 * Pairs vacant beds with waiting applications: the applications in queue order (the caller
 * orders them: waiting-list.ts), each taking the first suitable bed not yet taken (beds by
 * label), so the head of the queue chooses first. Applications already offered are skipped (an
 * elder never holds two offers), and so are those resting after a decline (`rest`: isResting).
 * Returns at most one pair per bed and per application.
 */
export function pairOffers<B extends VacantBed, A extends Candidate>(beds: readonly B[], queue: readonly A[], rest?: { now: Date; days: number }): { bed: B; application: A }[] {
  const free = [...beds].sort((x, y) => (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
  const pairs: { bed: B; application: A }[] = [];
  for (const a of queue) {
    if (!free.length) break;
    if (a.status !== 'waiting' || (rest && isResting(a, rest.now, rest.days))) continue;
    const k = free.findIndex((b) => bedSuits(b, a));
    if (k === -1) continue;
    pairs.push({ bed: free[k]!, application: a });
    free.splice(k, 1);
  }
  return pairs;
}

const monthOf = (iso: string) => cstDate(new Date(iso)).slice(0, 7);

/** The months from `from` to `to` (YYYY-MM), inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/**
 * The waiting list's figures over months `from`..`to` (YYYY-MM, China Standard Time) from the
 * offers themselves: per month of making, how many were made and how each made one ended; per
 * institution and class, the admissions through offers accepted in the months and the days from
 * application to admission (average and longest, one decimal).
 */
export function figuresOf(offers: readonly Offer[], from: string, to: string): Figures {
  const months = monthsBetween(from, to);
  const perMonth = new Map(months.map((m) => [m, { month: m, made: 0, accepted: 0, declined: 0, expired: 0, withdrawn: 0 }]));
  const waits = new Map<string, { institutionId: string; institutionName: string; priorityClass: string; days: number[] }>();
  for (const o of offers) {
    const row = perMonth.get(monthOf(o.madeAt));
    if (row) {
      row.made += 1;
      if (o.status !== 'open') row[o.status] += 1;
    }
    if (o.status === 'accepted' && o.admittedAt && perMonth.has(monthOf(o.admittedAt))) {
      const key = `${o.institutionId}|${o.priorityClass}`;
      const w = waits.get(key) ?? { institutionId: o.institutionId, institutionName: o.institutionName, priorityClass: o.priorityClass, days: [] };
      w.days.push((Date.parse(o.admittedAt) - Date.parse(o.appliedAt)) / DAY_MS);
      waits.set(key, w);
    }
  }
  const oneDecimal = (n: number) => Math.round(n * 10) / 10;
  return {
    from,
    to,
    months: [...perMonth.values()],
    waits: [...waits.values()]
      .sort((a, b) => a.institutionName.localeCompare(b.institutionName, 'zh-CN') || a.institutionId.localeCompare(b.institutionId) || a.priorityClass.localeCompare(b.priorityClass, 'zh-CN'))
      .map((w) => ({
        institutionId: w.institutionId,
        institutionName: w.institutionName,
        priorityClass: w.priorityClass,
        admitted: w.days.length,
        averageWaitDays: oneDecimal(w.days.reduce((s, d) => s + d, 0) / w.days.length),
        longestWaitDays: oneDecimal(Math.max(...w.days)),
      })),
  };
}
