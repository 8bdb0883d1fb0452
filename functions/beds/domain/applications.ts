import { earliestVersionStart } from '#shared/dates.js';
import type * as z from 'zod/mini';
import type { bedApplication, putAdmissionPolicyBody } from '#shared/schemas/bed-applications.js';
import { ageOn } from '#shared/time.js';
import { orderQueue, UNCLASSED, type AdmissionPolicy, type QueuedApplication, type QueuePosition } from './waiting-list.js';

/**
 * Care-bed applications as stored, and the queue built from them: pure, no I/O. The order is
 * waiting-list.ts's (class, queue time, id); this module only says which applications form a
 * queue and what of an elder the policy sees (recorded at filing, age counted on the day).
 */

/** A policy version as stored: the body put, with its county and when. `version` is effectiveFrom. */
export type AdmissionPolicyVersion = z.output<typeof putAdmissionPolicyBody> & { readonly county: string; readonly version: string; readonly updatedAt: string };

type Shown = z.input<typeof bedApplication>;

/** An application as stored: what the contract shows (without the queue's computed fields) plus the elder's birth date, for the age. */
export type BedApplication = Omit<Shown, 'priorityClass' | 'position' | 'queuedAt'> & {
  /** The elder's birth date (YYYY-MM-DD): the policy's minAge is counted on the ordering day. */
  readonly birthDate: string;
  /** Beds the elder declined or let lapse: never offered to this application again. */
  readonly declinedBeds?: readonly string[];
};

/** The policy used when a county has none in force: no classes, so first come, first served. */
export const noPolicy = (county: string): AdmissionPolicyVersion => ({ county, version: '', effectiveFrom: '', updatedAt: '', classes: [], offerHoldDays: 3, declinesBeforeRequeue: 0 });

export const isOpen = (a: Pick<BedApplication, 'status'>): boolean => a.status === 'waiting' || a.status === 'offered';

/**
 * Is the application in this institution's queue? Yes when it names the institution, or names
 * none and prefers the institution's township or no township.
 */
export function inQueueOf(a: Pick<BedApplication, 'institutionIds' | 'township'>, institution: { id: string; township: string }): boolean {
  if (a.institutionIds?.length) return a.institutionIds.includes(institution.id);
  return a.township === undefined || a.township === institution.township;
}

/** The application as the policy sees it on `date` (CST): the categories and level recorded at filing, the age that day. */
export function queued(a: BedApplication, date: string): QueuedApplication {
  return {
    id: a.id,
    appliedAt: a.appliedAt,
    declinedAt: a.declinedAt,
    elder: { age: ageOn(a.birthDate, date), categories: a.categoriesAtFiling, ...(a.capabilityLevelAtFiling !== undefined && { capabilityLevel: a.capabilityLevelAtFiling }) },
  };
}

/** The applications in queue order on `date` (CST), each with its place. */
export function queueOn(policy: AdmissionPolicy, applications: readonly BedApplication[], date: string): (QueuePosition & { application: BedApplication })[] {
  const byId = new Map(applications.map((a) => [a.id, a]));
  return orderQueue(policy, applications.map((a) => queued(a, date))).map((p) => ({ ...p, application: byId.get(p.id)! }));
}

/** Where a page of the queue stopped: the last entry's ordering key (class rank, queue time, id). */
export interface QueueCursor {
  readonly rank: number;
  readonly at: string;
  readonly id: string;
}

/** Is the entry after the cursor in queue order? Pages continue from there even if entries left meanwhile. */
export function afterCursor(p: Pick<QueuePosition, 'classRank' | 'queuedAt' | 'id'>, c: QueueCursor): boolean {
  if (p.classRank !== c.rank) return p.classRank > c.rank;
  if (p.queuedAt !== c.at) return p.queuedAt > c.at;
  return p.id > c.id;
}

export { UNCLASSED };

/**
 * The earliest `effectiveFrom` an admission policy version may take, as for the subsidy policy:
 * a queue of a past day was ordered by the version then in force, so no version may start
 * before today; the version in force today may have ordered today's queue (and, with offers,
 * decided who was offered a bed), so it is not replaced: tomorrow at the earliest. The county's
 * first version may carry a past date (no queue was ordered before it). Undefined: no bound.
 */
export const earliestAdmissionPolicyStart = earliestVersionStart;
