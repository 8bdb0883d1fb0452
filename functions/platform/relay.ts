import { logger, metrics } from '../lib/powertools.js';
import { countsByDay, type LedgerEvent, type StoredEvent } from './domain/ledger.js';
import { deliveryQueue, type OutgoingMessage } from './queue.js';
import * as store from './store.js';

/** Events per transaction: with the feed head and up to a few days' counts, within DynamoDB's 100 items. */
const CHUNK = 90;
const HEAD_RETRIES = 30;

/**
 * The relay: events taken from the tables' streams (the outbox) are written to the ledger,
 * which gives each a dense sequence number in its county's feed and counts it for
 * reconciliation, and then put on the delivery queue, in the order they came.
 *
 * Safe to run again on the same events (a stream batch is retried after a failure): an event
 * already in the ledger is not ledgered again, and is queued again unless the ledger says it
 * was delivered (its state, or its county's delivery receipts) or parked (its first message may
 * not have been sent). The queue also drops a message it saw in the last 5 minutes.
 */
export async function relayEvents(events: readonly LedgerEvent[], now: Date): Promise<{ ledgered: number; queued: number }> {
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  if (!unique.length) return { ledgered: 0, queued: 0 };
  const known = await store.ledgeredEvents(unique.map((e) => e.id));
  const fresh = unique.filter((e) => !known.has(e.id));

  const stored = new Map<string, StoredEvent>(known);
  for (const [county, ofCounty] of groupBy(fresh, (e) => e.county)) {
    for (let i = 0; i < ofCounty.length; i += CHUNK) {
      for (const e of await append(county, ofCounty.slice(i, i + CHUNK), now)) stored.set(e.id, e);
    }
  }

  // A retried batch: events the ledger had already may have been delivered since, at their first
  // attempt, which only the county's delivery receipts show. Those are not queued again.
  const deliveredBefore = new Set<string>();
  const knownPending = [...known.values()].filter((e) => e.delivery.status === 'pending');
  for (const [county, ofCounty] of groupBy(knownPending, (e) => e.county)) {
    const seqs = await store.deliveredSeqs(county, ofCounty.map((e) => e.seq));
    for (const e of ofCounty) if (seqs.has(e.seq)) deliveredBefore.add(e.id);
  }
  const toSend: OutgoingMessage[] = unique
    .map((e) => stored.get(e.id)!)
    .filter((e) => e.delivery.status === 'pending' && !deliveredBefore.has(e.id))
    .map((e) => ({ message: { eventId: e.id, county: e.county, entity: e.entity }, dedupId: e.id }));
  await deliveryQueue().send(toSend);
  metrics.addMetric('EventsLedgered', 'Count', fresh.length);
  return { ledgered: fresh.length, queued: toSend.length };
}

/**
 * Appends one chunk after the county's feed head. Relays of other tables or shards append to
 * the same head, so a moved head is read again and the append retried; an event another relay
 * ledgered meanwhile is taken as it stands.
 */
async function append(county: string, events: LedgerEvent[], now: Date): Promise<StoredEvent[]> {
  let pending = events;
  const done: StoredEvent[] = [];
  for (let attempt = 1; pending.length; attempt++) {
    if (attempt > HEAD_RETRIES) throw new Error(`feed head of ${county} kept moving; the batch will be retried`);
    const head = await store.feedHead(county);
    const r = await store.appendEvents(county, head, pending, countsByDay(pending), now);
    if (r.ok) return [...done, ...r.stored];
    if (r.reason === 'already_ledgered') {
      const taken = await store.ledgeredEvents(r.ids);
      done.push(...taken.values());
      pending = pending.filter((e) => !taken.has(e.id));
      logger.warn('events ledgered by another relay meanwhile', { count: taken.size });
    } else {
      await new Promise((res) => setTimeout(res, Math.random() * 20 * Math.min(attempt, 10)));
    }
  }
  return done;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = out.get(k);
    if (list) list.push(i);
    else out.set(k, [i]);
  }
  return out;
}
