import type { Principal } from '#shared/auth/principal.js';
import { assertCountyStaff } from '#shared/auth/area.js';
import type { Page, PageRequest } from '#shared/pagination.js';
import { logger } from '../lib/powertools.js';
import { payloadOf } from './domain/ledger.js';
import { deliveryQueue } from './queue.js';
import * as store from './store.js';

/**
 * The feed: events after the cursor, in sequence order. Sequence numbers are dense (see the
 * store), and the feed index may lag its table by a moment, so the page stops at the first
 * missing number: a late event is returned on a later call, never skipped.
 */
export async function readFeed(p: Principal, after: number, limit: number) {
  const found = await store.feedAfter(p.county, after, limit);
  const events = [];
  let cursor = after;
  for (const e of found) {
    if (e.seq !== cursor + 1) break;
    events.push(payloadOf(e));
    cursor = e.seq;
  }
  return { events, cursor: String(cursor), more: events.length === limit };
}

export async function readReconciliation(p: Principal, date: string) {
  return { county: p.county, date, ...(await store.reconciliation(p.county, date)) };
}

/** A page of the county's dead letters, oldest first; the position is the last one's sequence number. */
export async function listDeadLetters(p: Principal, page: PageRequest): Promise<Page<store.DeadLetter>> {
  assertCountyStaff(p, p.county);
  const after = page.after?.seq;
  const { items, more } = await store.deadLetters(p.county, page.limit, typeof after === 'number' ? after : undefined);
  return { items, next: more ? { seq: items.at(-1)!.seq } : undefined };
}

/**
 * Puts parked events back on the queue, oldest first, each with its own event id (a fresh
 * deduplication id only, so the queue takes it again). The message is sent before the dead
 * letter is removed: a failure in between leaves the letter listed, and the deliverer removes it
 * once the event is delivered. An entity's block is lifted by the deliverer when the event that
 * heads it is delivered, so the entity's later events follow it in order.
 */
export async function replayDeadLetters(p: Principal, limit: number, now: Date): Promise<{ replayed: number; remaining: boolean }> {
  assertCountyStaff(p, p.county);
  let replayed = 0;
  let after: number | undefined;
  while (replayed < limit) {
    const page = await store.deadLetters(p.county, Math.min(100, limit - replayed), after);
    if (!page.items.length) break;
    const found = await store.ledgeredEvents(page.items.map((d) => d.eventId));
    const events = page.items.map((d) => found.get(d.eventId)).filter((e) => e !== undefined);
    await deliveryQueue().send(events.map((e) => ({
      message: { eventId: e.id, county: e.county, entity: e.entity },
      dedupId: `${e.id}-r${(e.delivery.replays ?? 0) + 1}-${now.getTime()}`,
    })));
    for (const e of events) await store.unpark(e.county, e.seq, e.id, { ...e.delivery, status: 'pending', replays: (e.delivery.replays ?? 0) + 1, roundStart: e.delivery.attempts });
    replayed += events.length;
    after = page.items.at(-1)!.seq;
    if (!page.more) break;
  }
  // From the start: an event may have parked behind a replayed one meanwhile.
  const rest = await store.deadLetters(p.county, 1);
  logger.info('dead letters replayed', { replayed });
  return { replayed, remaining: rest.items.length > 0 };
}
