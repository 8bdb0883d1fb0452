import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, db, queryAll, type KeyPosition, strip } from '../../lib/dynamo.js';
import { transact, transactNamed, withOld } from '../../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../../events/outbox.js';
import type { Slot } from '../domain/subsidy.js';
import type { Booking } from '../domain/model.js';
import { bookingKey, bookingGuardKey, seatCounterKey } from './ids.js';
import { bookingTransition, table } from './common.js';

/**
 * Bookings: the seat counters, the bookings, and each elder's booking guard.
 *
 * | record                      | pk                      | sk                                  | gsi1pk / gsi1sk                              | gsi2pk / gsi2sk                        |
 * |-----------------------------|-------------------------|-------------------------------------|----------------------------------------------|----------------------------------------|
 * | seat counter (booked, terms) | SITEDAY#<siteId>#<date> | COUNT#<slot>                       |                                              |                                        |
 * | booking                     | SITEDAY#<siteId>#<date> | BK#<slot>#<ulid>                    |                                              |                                        |
 * | elder's booking guard       | ELDER#<elderId>         | BK#<date>#<slot>                    |                                              |                                        |
 *
 * Access patterns and their cost (write units; a transaction costs double):
 * - book: counter +1 if below capacity and still on the slot's booking terms the booking was
 *   decided on (see bookingTerms: a capacity lowered or a site suspended meanwhile is never
 *   booked past), booking put, guard set-if-free: one transaction, 6 WCU
 * - cancel: booking status, counter -1, guard freed: one transaction, 6 WCU
 * - availability and the kitchen list: one Query of SITEDAY#<siteId>#<date>
 * - an elder's bookings, newest first: Query ELDER#<id> BK# guards descending (each lists its
 *   slot's booking ids), BatchGet of the page's bookings
 *   their open bookings from a date on (a death): Query ELDER#<id> sk between BK#<date> and BK#~
 */

export interface SiteDay {
  readonly booked: Partial<Record<Slot, number>>;
  readonly bookings: Booking[];
}

export async function siteDay(siteId: string, date: string, withBookings = true): Promise<SiteDay> {
  const booked: Partial<Record<Slot, number>> = {};
  const bookings: Booking[] = [];
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: withBookings ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :c)',
    ExpressionAttributeValues: { ':pk': `SITEDAY#${siteId}#${date}`, ...(!withBookings && { ':c': 'COUNT#' }) },
  });
  for (const i of items) {
    const sk = String(i.sk);
    if (sk.startsWith('COUNT#')) booked[sk.slice(6) as Slot] = Number(i.booked ?? 0);
    else bookings.push(strip<Booking>(i)!);
  }
  return { booked, bookings };
}

export type CreateBookingResult = { ok: true } | { ok: false; reason: 'slot_full' } | { ok: false; reason: 'site_changed' } | { ok: false; reason: 'already_booked'; bookingId: string };

/**
 * Books a seat. `capacity` and `terms` (bookingTerms) are the slot's as read from the site; the
 * counter must still carry no terms or these: 'site_changed' when a staff change landed
 * meanwhile, and the caller decides again on the fresh site.
 */
export async function insertBooking(b: Booking, capacity: number, terms: string, event: DomainEvent): Promise<CreateBookingResult> {
  const key = bookingKey(b.id)!;
  const r = await transactNamed({
    guard: withOld({
      Update: {
        TableName: table(),
        Key: bookingGuardKey(b.elderId, b.date, b.slot),
        UpdateExpression: 'SET active = :id, ids = list_append(if_not_exists(ids, :empty), :ids)',
        ConditionExpression: 'attribute_not_exists(active)',
        ExpressionAttributeValues: { ':id': b.id, ':ids': [b.id], ':empty': [] },
      },
    }),
    counter: withOld({
      Update: {
        TableName: table(),
        Key: seatCounterKey(key.pk, b.slot),
        UpdateExpression: 'ADD booked :one',
        ConditionExpression: '(attribute_not_exists(booked) OR booked < :cap) AND (attribute_not_exists(terms) OR terms = :terms)',
        ExpressionAttributeValues: { ':one': 1, ':cap': capacity, ':terms': terms },
      },
    }),
    booking: {
      Put: {
        TableName: table(),
        Item: { pk: key.pk, sk: key.sk, ...b, ...eventAttribute(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  });
  if (r.ok) return r;
  if (r.failed.guard?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'already_booked', bookingId: String(r.failed.guard.item?.active) };
  if (r.failed.counter?.code === 'ConditionalCheckFailed') {
    const now = r.failed.counter.item?.terms;
    return { ok: false, reason: now !== undefined && now !== terms ? 'site_changed' : 'slot_full' };
  }
  throw new Error(`booking cancelled: ${r.codes}`);
}

export async function getBooking(id: string): Promise<Booking | undefined> {
  const key = bookingKey(id);
  if (!key) return undefined;
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: key.pk, sk: key.sk } }));
  return strip<Booking>(out.Item);
}

export async function cancelBooking(b: Booking, at: string, event: DomainEvent): Promise<{ ok: boolean }> {
  const key = bookingKey(b.id)!;
  const r = await transact([
    bookingTransition(b, 'cancelled', at, event),
    {
      Update: {
        TableName: table(),
        Key: seatCounterKey(key.pk, b.slot),
        UpdateExpression: 'ADD booked :minus',
        ConditionExpression: 'booked > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      },
    },
    {
      Update: {
        TableName: table(),
        Key: bookingGuardKey(b.elderId, b.date, b.slot),
        UpdateExpression: 'REMOVE active',
        ConditionExpression: 'active = :id',
        ExpressionAttributeValues: { ':id': b.id },
      },
    },
  ]);
  return { ok: r.ok };
}

export async function activeBookingId(elderId: string, date: string, slot: Slot): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: bookingGuardKey(elderId, date, slot), ProjectionExpression: 'active' }));
  return out.Item?.active as string | undefined;
}

/** Ids of an elder's open bookings for dates on or after `fromDate` (one Query of their guards). */
export async function activeBookingIds(elderId: string, fromDate: string): Promise<string[]> {
  const items = await queryAll({
    TableName: table(),
    // Guards sort by BK#<date>#<slot>; '~' sorts after every digit, so this is every date from fromDate on.
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    FilterExpression: 'attribute_exists(active)',
    ExpressionAttributeValues: { ':pk': `ELDER#${elderId}`, ':from': `BK#${fromDate}`, ':to': 'BK#~' },
  });
  return items.map((i) => String(i.active));
}

/**
 * A page of an elder's bookings, newest first. The elder's guard items (one per date and
 * slot, `BK#<date>#<slot>`) list every booking id ever made for that slot in order, so a page
 * is a Query of the guards, newest first, and one BatchGet of the bookings. The position is
 * the guard's key and how many of its ids are still to come (a cancelled slot booked again
 * has several), so a page never splits or repeats a slot's bookings.
 */
export async function elderBookingsPage(elderId: string, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: Booking[]; next?: KeyPosition }> {
  const after = page.after && typeof page.after.sk === 'string' && typeof page.after.left === 'number' ? { sk: page.after.sk, left: page.after.left } : undefined;
  const picked: { id: string; sk: string; left: number }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({
      TableName: table(),
      // From the guard the last page stopped in (inclusive), towards older ones.
      KeyConditionExpression: after ? 'pk = :pk AND sk BETWEEN :bk AND :at' : 'pk = :pk AND begins_with(sk, :bk)',
      ExpressionAttributeValues: { ':pk': `ELDER#${elderId}`, ':bk': 'BK#', ...(after && { ':at': after.sk }) },
      ScanIndexForward: false,
      Limit: page.limit + 1 - picked.length,
      ExclusiveStartKey: start,
    }));
    for (const g of out.Items ?? []) {
      const sk = String(g.sk);
      const ids = (g.ids as string[] | undefined) ?? [];
      // Newest booking of the slot first; `left` ids (the older ones) remain after each.
      for (let left = (after && sk === after.sk ? after.left : ids.length) - 1; left >= 0 && picked.length <= page.limit; left--) picked.push({ id: ids[left]!, sk, left });
    }
    start = out.LastEvaluatedKey;
  } while (start && picked.length <= page.limit);
  const shown = picked.slice(0, page.limit);
  const keys = shown.map((x) => bookingKey(x.id)).filter((k) => k !== undefined).map(({ pk, sk }) => ({ pk, sk }));
  const found = new Map((await batchGetAll(table(), keys)).map((i) => [String(i.id), strip<Booking>(i)!]));
  const last = shown.at(-1);
  return {
    items: shown.map((x) => found.get(x.id)).filter((b) => b !== undefined),
    ...(picked.length > page.limit && last && { next: { sk: last.sk, left: last.left } }),
  };
}
