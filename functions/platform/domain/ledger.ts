import type { EventType } from '#shared/schemas/events.js';
import { cstDate } from '#shared/time.js';

/** An outbound event as the changed item carried it (see functions/events/outbox.ts). */
export interface LedgerEvent {
  readonly id: string;
  readonly type: EventType;
  readonly occurredAt: string;
  readonly county: string;
  readonly entity: string;
  readonly data: Record<string, unknown>;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'parked';

export interface Delivery {
  readonly status: DeliveryStatus;
  /** Attempts over the event's life, replays included. */
  readonly attempts: number;
  readonly lastAttemptAt?: string;
  readonly lastError?: string;
  readonly deliveredAt?: string;
  readonly replays?: number;
  /** `attempts` when last replayed: a replay gets a fresh round of retries. */
  readonly roundStart?: number;
}

/**
 * What the ledger knows of an event's delivery. An event delivered at its first attempt keeps
 * `pending` with no attempts on its own item (that write would cost a write unit per event); its
 * seq in the county's delivery receipts is what says it arrived. So:
 * - `delivered`: its state says so (after failures, or a replay), or a receipt has its seq;
 * - `parked`: a dead letter, waiting for staff to replay it;
 * - `retrying`: tried and refused, waiting for its next attempt;
 * - `not_sent`: never tried: on the delivery queue (or lost with it).
 */
export type LedgerDeliveryState = 'delivered' | 'parked' | 'retrying' | 'not_sent';

export function deliveryState(e: Pick<StoredEvent, 'delivery'>, inReceipt: boolean): LedgerDeliveryState {
  if (e.delivery.status === 'delivered' || inReceipt) return 'delivered';
  if (e.delivery.status === 'parked') return 'parked';
  return e.delivery.attempts > 0 ? 'retrying' : 'not_sent';
}

/** A ledgered event: its place in the county's feed and its delivery state. */
export interface StoredEvent extends LedgerEvent {
  readonly seq: number;
  readonly delivery: Delivery;
}

/** What the platform receives: the contract's `{id, type, occurredAt, county, data}`, plus entity and sequence. */
export const payloadOf = (e: StoredEvent) => ({ id: e.id, type: e.type, occurredAt: e.occurredAt, county: e.county, entity: e.entity, sequence: e.seq, data: e.data });

/** Reconciliation increments, per China Standard Time date of occurrence and per type. */
export function countsByDay(events: readonly LedgerEvent[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const e of events) {
    const day = cstDate(new Date(e.occurredAt));
    const byType = out.get(day) ?? new Map<string, number>();
    byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    out.set(day, byType);
  }
  return out;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseSeconds: number;
  readonly capSeconds: number;
}

/**
 * Seconds before attempt `attempt + 1`, after `attempt` failed: exponential back-off with "full
 * jitter" (a random delay up to base * 2^(attempt-1), capped), so deliveries that failed
 * together when the platform went down don't all come back at the same instant.
 */
export function backoffSeconds(attempt: number, p: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(p.capSeconds, p.baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(p.baseSeconds / 10, random() * ceiling);
}

/** A short, log-safe description of why a delivery failed (no response bodies: they may echo data). */
export const failureOf = (e: unknown): string => {
  if (e instanceof Error) return e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timeout' : e.message.slice(0, 200);
  return String(e).slice(0, 200);
};
