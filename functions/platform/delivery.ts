import { config } from '../lib/config.js';
import { logger, metrics } from '../lib/powertools.js';
import { backoffSeconds, failureOf, payloadOf, type RetryPolicy, type StoredEvent } from './domain/ledger.js';
import type { DeliveryMessage } from './queue.js';
import { postToPlatform, type Sender } from './sender.js';
import * as store from './store.js';
import type { DeadLetter } from './store.js';

export type DeliveryOutcome =
  /** `seq`: for the county's delivery receipt, which the batch records (jobs/deliver.ts). */
  | { readonly result: 'delivered' | 'already_delivered'; readonly county: string; readonly seq: number }
  | { readonly result: 'parked' }
  | { readonly result: 'retry'; readonly inSeconds: number; readonly error: string };

/** From the environment (lib/config.ts), so an operator can stretch retries over a long platform outage. */
export function retryPolicy(): RetryPolicy {
  return config.platformRetry();
}

/**
 * Delivers one queued event. Attempts are counted in the ledger, not by the queue's receive
 * count: a FIFO batch carries a group's later messages behind its head, so their receive count
 * grows while they wait without being tried. A replay starts a fresh round of attempts.
 *
 * - Recorded as delivered already (a resent message after a recovery): nothing to do.
 * - Its entity is held behind a parked event: park this one too, so it can't overtake.
 * - Delivery fails: retry after a jittered back-off, or, with the attempts used up, park it:
 *   it becomes a dead letter that staff list and replay, and holds its entity.
 */
export async function deliver(msg: DeliveryMessage, now: Date, policy = retryPolicy(), send: Sender = postToPlatform): Promise<DeliveryOutcome> {
  const { event, blockedBy } = await store.eventForDelivery(msg);
  if (!event) throw new Error(`event ${msg.eventId} is not in the ledger`);
  if (event.delivery.status === 'delivered') return { result: 'already_delivered', county: event.county, seq: event.seq };
  const at = now.toISOString();
  const { replays, roundStart } = event.delivery;
  const kept = { ...(replays && { replays }), ...(roundStart && { roundStart }) };

  if (blockedBy && blockedBy.eventId !== event.id && blockedBy.seq < event.seq) {
    await store.park(event, { ...event.delivery, status: 'parked' }, deadLetterOf(event, at, { reason: 'behind_parked_event', attempts: event.delivery.attempts, behind: blockedBy.eventId }));
    metrics.addMetric('EventsParked', 'Count', 1);
    return { result: 'parked' };
  }

  const attempts = event.delivery.attempts + 1;
  const attempt = attempts - (roundStart ?? 0);
  try {
    await send(payloadOf(event), now);
  } catch (e) {
    const error = failureOf(e);
    const delivery = { status: 'pending' as const, attempts, lastAttemptAt: at, lastError: error, ...kept };
    if (attempt < policy.maxAttempts) {
      await store.recordDelivery(event.id, delivery);
      return { result: 'retry', inSeconds: backoffSeconds(attempt, policy), error };
    }
    await store.park(event, { ...delivery, status: 'parked' }, deadLetterOf(event, at, { reason: 'attempts_exhausted', attempts, lastError: error }));
    metrics.addMetric('EventsParked', 'Count', 1);
    logger.warn('event parked after its last attempt', { eventId: event.id, type: event.type, attempts, error });
    return { result: 'parked' };
  }
  // A first attempt that succeeds writes nothing on the event: a write per delivery would cost
  // as much as a quarter of a meal's whole bill. The batch records it in the county's delivery
  // receipt instead (jobs/deliver.ts: one write per batch, not per event). The event's own state
  // records a delivery only where something went wrong before (failed attempts, a parked event,
  // a block to lift), which is where staff look. A message sent twice within SQS's 5-minute
  // deduplication window is dropped by the queue; later, the relay does not queue an event a
  // receipt shows delivered, and the platform deduplicates on the id, as Standard Webhooks intends.
  const headOfBlock = blockedBy?.eventId === event.id;
  const wasParked = event.delivery.status === 'parked';
  if (event.delivery.attempts > 0 || wasParked || headOfBlock) {
    await store.markDelivered(event, { status: 'delivered', attempts, lastAttemptAt: at, deliveredAt: at, ...kept }, { parked: wasParked, headOfBlock });
  }
  metrics.addMetric('EventsDelivered', 'Count', 1);
  return { result: 'delivered', county: event.county, seq: event.seq };
}

const deadLetterOf = (e: StoredEvent, parkedAt: string, why: Pick<DeadLetter, 'reason' | 'attempts'> & Partial<Pick<DeadLetter, 'lastError' | 'behind'>>): DeadLetter => ({
  eventId: e.id, seq: e.seq, type: e.type, entity: e.entity, occurredAt: e.occurredAt, parkedAt, ...why,
});
