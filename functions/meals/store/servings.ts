import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, db, queryAll, queryPage, type KeyPosition, strip } from '../../lib/dynamo.js';
import { conditionally } from '../../lib/conditional.js';
import { type TransactItem, transact, transactNamed, withOld } from '../../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../../events/outbox.js';
import type { Booking, MealSite, Serving } from '../domain/model.js';
import { servingKey, servingsPk, elderDayKey } from './ids.js';
import { bookingTransition, table } from './common.js';

/**
 * Servings and each elder's day (the subsidy guard).
 *
 * | record                      | pk                      | sk                                  | gsi1pk / gsi1sk                              | gsi2pk / gsi2sk                        |
 * |-----------------------------|-------------------------|-------------------------------------|----------------------------------------------|----------------------------------------|
 * | serving                     | SRV#<county>#<date>     | <township>#<siteId>#<clientRecordId> |                                             |                                        |
 * | elder's day (subsidy guard) | ELDER#<elderId>         | DAY#<date>                          |                                              |                                        |
 *
 * Access patterns and their cost (write units; a transaction costs double):
 * - record a subsidised serving: serving put-if-absent + elder's day update guarded by
 *   "slot not yet subsidised and daily cap not exceeded": one transaction, 4 WCU
 *   (+2 when it marks a booking served); an unsubsidised serving: one conditional put, 1 WCU.
 *   No index entry: servings are found by their key alone
 * - a resent batch: BatchGet of its servings' keys first; duplicates cost reads, not writes
 * - a site's servings on a date: Query SRV#<county>#<date> begins_with <township>#<siteId>#
 * - a county's (or township's) servings on a date (daily report, anomalies a day at a time):
 *   one Query of SRV#<county>#<date> (begins_with <township>#): cost follows the servings, not
 *   the number of sites
 * - a site's month (settlement): one Query of the site's part of each day's partition
 */

export type InsertServingResult =
  | { ok: true }
  | { ok: false; reason: 'duplicate'; existing: Serving }
  | { ok: false; reason: 'slot_already_subsidised' }
  | { ok: false; reason: 'cap'; usedTodayFen: number }
  | { ok: false; reason: 'booking_changed' };

/**
 * Records a serving. With a subsidy, the elder's day item is updated in the same transaction
 * under the guard "this slot not yet subsidised, and the daily total stays within the cap":
 * across every site of the county, only one such write can win per elder, date and slot.
 */
export async function insertServing(s: Serving, event: DomainEvent, opts: { dailyCapFen?: number; booking?: Booking }): Promise<InsertServingResult> {
  const key = servingKey(s.id)!;
  const put = withOld({
    Put: { TableName: table(), Item: { pk: key.pk, sk: key.sk, ...s, ...eventAttribute(event) }, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  let day: TransactItem | undefined;
  if (s.subsidyFen > 0) {
    const capped = opts.dailyCapFen !== undefined;
    day = withOld({
      Update: {
        TableName: table(),
        Key: elderDayKey(s.elderId, s.date),
        UpdateExpression: 'ADD slots :slotSet, subsidyFen :s',
        ConditionExpression: `(attribute_not_exists(slots) OR NOT contains(slots, :slot))${capped ? ' AND (attribute_not_exists(subsidyFen) OR subsidyFen <= :before)' : ''}`,
        ExpressionAttributeValues: { ':slotSet': new Set([s.slot]), ':s': s.subsidyFen, ':slot': s.slot, ...(capped && { ':before': opts.dailyCapFen! - s.subsidyFen }) },
      },
    });
  }
  const booking = opts.booking
    ? bookingTransition(opts.booking, 'served', s.recordedAt, { type: 'booking.served', county: s.county, entity: `booking:${opts.booking.id}`, data: { bookingId: opts.booking.id, servingId: s.id } }, { servingId: s.id })
    : undefined;
  if (!day && !booking) {
    return conditionally(new PutCommand({ ...put.Put!, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }), (old) => ({ ok: false, reason: 'duplicate', existing: strip<Serving>(old)! }));
  }
  const r = await transactNamed({ serving: put, day, booking });
  if (r.ok) return r;
  const { serving, day: guard } = r.failed;
  if (serving?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'duplicate', existing: strip<Serving>(serving.item)! };
  if (guard?.code === 'ConditionalCheckFailed') {
    const slotsTaken = guard.item?.slots as Set<string> | undefined;
    if (slotsTaken?.has(s.slot)) return { ok: false, reason: 'slot_already_subsidised' };
    return { ok: false, reason: 'cap', usedTodayFen: Number(guard.item?.subsidyFen ?? 0) };
  }
  if (r.failed.booking?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'booking_changed' };
  throw new Error(`serving cancelled: ${r.codes}`);
}

export async function getServing(id: string): Promise<Serving | undefined> {
  const key = servingKey(id);
  if (!key) return undefined;
  const out = await db().send(new GetCommand({ TableName: table(), Key: key }));
  return strip<Serving>(out.Item);
}

/**
 * The stored servings among these ids (BatchGetItem, eventually consistent): a resent batch is
 * answered from reads, half a read unit each, instead of refused writes that are billed too.
 */
export async function existingServings(ids: readonly string[]): Promise<Map<string, Serving>> {
  const keys = [...new Set(ids)].map((id) => servingKey(id)).filter((k) => k !== undefined);
  const found = (await batchGetAll(table(), keys)).map((i) => strip<Serving>(i)!);
  return new Map(found.map((s) => [s.id, s]));
}

/** Every serving of a site on a date (the settlement reads a month of these, a day at a time). */
export async function siteServings(site: Pick<MealSite, 'id' | 'county' | 'township'>, date: string): Promise<Serving[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :site)',
    ExpressionAttributeValues: { ':pk': servingsPk(site.county, date), ':site': `${site.township}#${site.id}#` },
  });
  return items.map((i) => strip<Serving>(i)!);
}

/** A page of a site's servings on a date, by clientRecordId. */
export async function siteServingsPage(site: Pick<MealSite, 'id' | 'county' | 'township'>, date: string, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: Serving[]; next?: KeyPosition }> {
  const { items, next } = await queryPage({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :site)',
    ExpressionAttributeValues: { ':pk': servingsPk(site.county, date), ':site': `${site.township}#${site.id}#` },
  }, page, ['pk', 'sk']);
  return { items: items.map((i) => strip<Serving>(i)!), ...(next && { next }) };
}

/**
 * Every serving of a county (or one township) on a date: one Query of the county-day
 * partition, whatever the number of sites, so its cost follows the servings. `fields` reads
 * only those attributes (less to transfer and decode; the read units are the same, DynamoDB
 * bills the items' full size). `onPage` is told each page's item count and may throw to stop
 * the read (a report over its budget).
 */
export async function countyDayServings<K extends keyof Serving>(
  county: string,
  date: string,
  opts: { township?: string | undefined; fields?: readonly K[]; onPage?: (items: number) => void } = {},
): Promise<Pick<Serving, K>[]> {
  const names = opts.fields ? Object.fromEntries(opts.fields.map((f, i) => [`#f${i}`, f])) : undefined;
  const out: Pick<Serving, K>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(new QueryCommand({
      TableName: table(),
      KeyConditionExpression: opts.township ? 'pk = :pk AND begins_with(sk, :t)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': servingsPk(county, date), ...(opts.township && { ':t': `${opts.township}#` }) },
      ...(names && { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names }),
      ExclusiveStartKey: start,
    }));
    for (const i of res.Items ?? []) out.push((names ? i : strip<Serving>(i)) as Pick<Serving, K>);
    opts.onPage?.(res.Items?.length ?? 0);
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Voids a serving and gives the elder's slot and subsidy back, in one transaction. */
export async function voidServing(s: Serving, voided: NonNullable<Serving['voided']>, event: DomainEvent): Promise<{ ok: boolean }> {
  const key = servingKey(s.id)!;
  const items: TransactItem[] = [{
    Update: {
      TableName: table(),
      Key: key,
      UpdateExpression: 'SET #st = :voided, voided = :v, evt = :evt',
      ConditionExpression: '#st = :recorded',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':voided': 'voided', ':recorded': 'recorded', ':v': voided, ':evt': eventAttribute(event, new Date(voided.at)).evt },
    },
  }];
  if (s.subsidyFen > 0) {
    items.push({
      Update: {
        TableName: table(),
        Key: elderDayKey(s.elderId, s.date),
        UpdateExpression: 'DELETE slots :slotSet ADD subsidyFen :minus',
        ConditionExpression: 'contains(slots, :slot)',
        ExpressionAttributeValues: { ':slotSet': new Set([s.slot]), ':slot': s.slot, ':minus': -s.subsidyFen },
      },
    });
  }
  const r = await transact(items);
  return { ok: r.ok };
}
