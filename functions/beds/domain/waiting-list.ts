import { ruleMatches, type Eligibility, type RuleMatch } from '#shared/eligibility.js';

/**
 * The waiting list for public institutions (公办养老机构轮候): who is offered the next matching
 * bed. Pure functions over the data, so the order can be recomputed and explained at any time:
 * there is no hidden score, only (class, time, id).
 *
 * A county policy, versioned like the subsidy policy, lists priority classes in order (for
 * example 特困 first; then 低保/低收入 elders with capability level 2 or more; then elders of 80 and
 * over); the first class an elder matches is theirs; an elder matching none ranks after every
 * class. Within a class the earlier application comes first. An elder who declines
 * `declinesBeforeRequeue` offers moves to the end of their class: their queue time becomes the
 * time of that decline.
 */
export interface PriorityClass {
  readonly name: string;
  readonly match: RuleMatch;
}

export interface AdmissionPolicy {
  /** China Standard Time date (YYYY-MM-DD) from which this version applies. */
  readonly effectiveFrom: string;
  readonly classes: readonly PriorityClass[];
  /** How long a bed is held for an offer, in days (default 3). */
  readonly offerHoldDays: number;
  /** After this many declines, the application moves to the end of its class. */
  readonly declinesBeforeRequeue: number;
}

/** The class name given to an application that matches no class of the policy. */
export const UNCLASSED = '其他';

/** What ordering needs of an application. */
export interface QueuedApplication {
  readonly id: string;
  /** ISO 8601 instant the application was filed. */
  readonly appliedAt: string;
  /** ISO 8601 instants of the offers the elder declined, oldest first. */
  readonly declinedAt: readonly string[];
  /** The elder as the policy sees them (age, categories, capability level) on the ordering date. */
  readonly elder: Eligibility;
}

export interface QueuePosition {
  readonly id: string;
  /** 1-based place in the queue. */
  readonly position: number;
  /** The class's name (or UNCLASSED) and its rank, 0 for the first class. */
  readonly priorityClass: string;
  readonly classRank: number;
  /** The time that orders the application within its class: filed, or its requeue by declines. */
  readonly queuedAt: string;
  readonly requeued: boolean;
}

/** The first class the elder matches: its rank and name, or the rank after every class. */
export function classOf(policy: AdmissionPolicy, elder: Eligibility): { rank: number; name: string } {
  const rank = policy.classes.findIndex((c) => ruleMatches(c.match, elder));
  return rank === -1 ? { rank: policy.classes.length, name: UNCLASSED } : { rank, name: policy.classes[rank]!.name };
}

/**
 * The time an application queues at: when filed, or, once it has declined
 * `declinesBeforeRequeue` offers (each further multiple again), the decline that sent it back.
 */
export function queuedAt(policy: AdmissionPolicy, a: QueuedApplication): { at: string; requeued: boolean } {
  const n = policy.declinesBeforeRequeue;
  if (n <= 0 || a.declinedAt.length < n) return { at: a.appliedAt, requeued: false };
  const last = a.declinedAt[Math.floor(a.declinedAt.length / n) * n - 1]!;
  return { at: last, requeued: true };
}

/**
 * The queue in order: by class rank, then queue time, then application id (ids are ULIDs, so
 * ties on the millisecond go to the earlier id). Deterministic for the same data and policy.
 */
export function orderQueue(policy: AdmissionPolicy, applications: readonly QueuedApplication[]): QueuePosition[] {
  return applications
    .map((a) => {
      const c = classOf(policy, a.elder);
      const q = queuedAt(policy, a);
      return { id: a.id, priorityClass: c.name, classRank: c.rank, queuedAt: q.at, requeued: q.requeued };
    })
    .sort((x, y) => x.classRank - y.classRank || (x.queuedAt < y.queuedAt ? -1 : x.queuedAt > y.queuedAt ? 1 : 0) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .map((p, i) => ({ ...p, position: i + 1 }));
}
