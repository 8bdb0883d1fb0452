import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { config } from '../lib/config.js';
import { batchGetAll, db, queryAll } from '../lib/dynamo.js';
import { transact, withOld, type TransactItem } from '../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../events/outbox.js';
import type { Slot } from './domain/subsidy.js';
import type { Alert, Booking, MealSite, Menu, PolicyVersion, Serving } from './domain/model.js';

/**
 * Data access for the Meals table (single-table design).
 *
 * | record                        | pk                         | sk                      | gsi1pk                  | gsi1sk              |
 * |-------------------------------|----------------------------|-------------------------|-------------------------|---------------------|
 * | meal site                     | SITE#<siteId>              | SITE                    | COUNTY#<county>#SITES   | <township>#<siteId> |
 * | menu                          | SITE#<siteId>              | MENU#<date>             |                         |                     |
 * | subsidy policy version        | POLICY#<county>            | <effectiveFrom>         |                         |                     |
 * | seat counter                  | SITEDAY#<siteId>#<date>    | COUNT#<slot>            |                         |                     |
 * | booking                       | SITEDAY#<siteId>#<date>    | BK#<slot>#<ulid>        |                         |                     |
 * | elder's booking guard         | ELDER#<elderId>            | BK#<date>#<slot>        |                         |                     |
 * | serving                       | SRV#<siteId>#<date>        | <clientRecordId>        |                         |                     |
 * | elder's day (subsidy guard)   | ELDER#<elderId>            | DAY#<date>              |                         |                     |
 * | welfare alert                 | ALERTS#<county>            | <alertId>               |                         |                     |
 * | county with meal sites        | COUNTIES                   | <county>                |                         |                     |
 *
 * Access patterns and their cost (write units; a transaction costs double):
 * - book: counter +1 if below capacity, booking put, guard set-if-free: one transaction, 6 WCU
 * - cancel: booking status, counter -1, guard freed: one transaction, 6 WCU
 * - availability and the kitchen list: one Query of SITEDAY#<siteId>#<date>
 * - an elder's bookings: Query ELDER#<id> begins_with BK# (guards list every booking id), BatchGet;
 *   their open bookings from a date on (a death): Query ELDER#<id> sk between BK#<date> and BK#~
 * - record a subsidised serving: serving put-if-absent + elder's day update guarded by
 *   "slot not yet subsidised and daily cap not exceeded": one transaction, 4 WCU
 *   (+2 when it marks a booking served); an unsubsidised serving: one conditional put, 1 WCU
 * - a resent batch: BatchGet of its servings' keys first; duplicates cost reads, not writes
 * - a site's servings on a date: one Query of SRV#<siteId>#<date>
 * - a site's month (settlement): one Query per day of SRV#<siteId>#<date>
 * - policy in force on a date: Query POLICY#<county>, sk <= date, newest first, limit 1
 * - a county's sites: Query gsi1 COUNTY#<county>#SITES (begins_with <township> for one township)
 * - the no-show job: Query COUNTIES, then each county's sites, then each site-day (no Scan)
 * - no-show of a living-alone elder: booking status + alert put, one transaction
 * - a county's alerts: Query ALERTS#<county> (newest first)
 * Ids of bookings and servings encode their keys, so reading one by id is a GetItem.
 */

const table = () => config.tableName('meals');

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

export const bookingId = (siteId: string, date: string, slot: Slot, ulid: string) => `bk_${b64(`${siteId}|${date}|${slot}|${ulid}`)}`;
export function bookingKey(id: string): { pk: string; sk: string; siteId: string; date: string; slot: Slot } | undefined {
  if (!id.startsWith('bk_')) return undefined;
  const [siteId, date, slot, ulid] = unb64(id.slice(3)).split('|');
  if (!siteId || !date || !slot || !ulid) return undefined;
  return { pk: `SITEDAY#${siteId}#${date}`, sk: `BK#${slot}#${ulid}`, siteId, date, slot: slot as Slot };
}
export const servingId = (siteId: string, date: string, clientRecordId: string) => `sv_${b64(`${siteId}|${date}|${clientRecordId}`)}`;
export function servingKey(id: string): { pk: string; sk: string } | undefined {
  if (!id.startsWith('sv_')) return undefined;
  const parts = unb64(id.slice(3)).split('|');
  if (parts.length < 3) return undefined;
  const [siteId, date] = parts;
  return { pk: `SRV#${siteId}#${date}`, sk: parts.slice(2).join('|') };
}

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, evt: _evt, ...rest } = item;
  return rest as T;
};

// ---- sites, menus, policies

export async function putSite(site: MealSite, event: DomainEvent): Promise<void> {
  const r = await transact([
    {
      Put: {
        TableName: table(),
        Item: { pk: `SITE#${site.id}`, sk: 'SITE', gsi1pk: `COUNTY#${site.county}#SITES`, gsi1sk: `${site.township}#${site.id}`, ...site, ...eventAttribute(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    // Lets scheduled jobs find every county without a Scan.
    { Put: { TableName: table(), Item: { pk: 'COUNTIES', sk: site.county } } },
  ]);
  if (!r.ok) throw new Error('site write cancelled');
}

export async function counties(): Promise<string[]> {
  const out = await db().send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'COUNTIES' } }));
  return (out.Items ?? []).map((i) => String(i.sk));
}

export async function getSite(siteId: string): Promise<MealSite | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `SITE#${siteId}`, sk: 'SITE' } }));
  return strip<MealSite>(out.Item);
}

export async function listSites(county: string, township?: string): Promise<MealSite[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: township ? 'gsi1pk = :pk AND begins_with(gsi1sk, :t)' : 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `COUNTY#${county}#SITES`, ...(township && { ':t': `${township}#` }) },
  });
  return items.map((i) => strip<MealSite>(i)!);
}

export async function putMenu(m: Menu, event: DomainEvent): Promise<void> {
  await db().send(new PutCommand({ TableName: table(), Item: { pk: `SITE#${m.siteId}`, sk: `MENU#${m.date}`, ...m, ...eventAttribute(event) } }));
}

export async function getMenu(siteId: string, date: string): Promise<Menu | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `SITE#${siteId}`, sk: `MENU#${date}` } }));
  return strip<Menu>(out.Item);
}

/**
 * Puts a policy version. `replace: false` (a version effective today or earlier) puts it only
 * if no version has that date yet: one that may have priced meals is never overwritten. False
 * when that condition failed. (`replace: true` is for future versions, replaceable by design.)
 */
export async function putPolicy(p: PolicyVersion, event: DomainEvent, opts: { replace: boolean }): Promise<boolean> {
  try {
    await db().send(new PutCommand({
      TableName: table(),
      Item: { pk: `POLICY#${p.county}`, sk: p.effectiveFrom, ...p, ...eventAttribute(event) },
      ...(!opts.replace && { ConditionExpression: 'attribute_not_exists(pk)' }),
    }));
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

export async function policyInForce(county: string, date: string): Promise<PolicyVersion | undefined> {
  const out = await db().send(new QueryCommand({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND sk <= :d',
    ExpressionAttributeValues: { ':pk': `POLICY#${county}`, ':d': date },
    ScanIndexForward: false,
    Limit: 1,
  }));
  return strip<PolicyVersion>(out.Items?.[0]);
}

// ---- bookings

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

export type CreateBookingResult = { ok: true } | { ok: false; reason: 'slot_full' } | { ok: false; reason: 'already_booked'; bookingId: string };

export async function insertBooking(b: Booking, capacity: number, event: DomainEvent): Promise<CreateBookingResult> {
  const key = bookingKey(b.id)!;
  const r = await transact([
    withOld({
      Update: {
        TableName: table(),
        Key: { pk: `ELDER#${b.elderId}`, sk: `BK#${b.date}#${b.slot}` },
        UpdateExpression: 'SET active = :id, ids = list_append(if_not_exists(ids, :empty), :ids)',
        ConditionExpression: 'attribute_not_exists(active)',
        ExpressionAttributeValues: { ':id': b.id, ':ids': [b.id], ':empty': [] },
      },
    }),
    {
      Update: {
        TableName: table(),
        Key: { pk: key.pk, sk: `COUNT#${b.slot}` },
        UpdateExpression: 'ADD booked :one',
        ConditionExpression: 'attribute_not_exists(booked) OR booked < :cap',
        ExpressionAttributeValues: { ':one': 1, ':cap': capacity },
      },
    },
    {
      Put: {
        TableName: table(),
        Item: { pk: key.pk, sk: key.sk, ...b, ...eventAttribute(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
  if (r.ok) return r;
  if (r.reasons[0]?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'already_booked', bookingId: String(r.reasons[0].item?.active) };
  if (r.reasons[1]?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'slot_full' };
  throw new Error(`booking cancelled: ${r.reasons.map((x) => x.code ?? '-').join(',')}`);
}

export async function getBooking(id: string): Promise<Booking | undefined> {
  const key = bookingKey(id);
  if (!key) return undefined;
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: key.pk, sk: key.sk } }));
  return strip<Booking>(out.Item);
}

/** Changes a booking's status from `booked`; `freeSeat` gives the seat and the elder's slot back. */
function bookingTransition(b: Booking, to: Booking['status'], at: string, event: DomainEvent, extra: Record<string, unknown> = {}): TransactItem {
  const key = bookingKey(b.id)!;
  const names = Object.keys(extra);
  return {
    Update: {
      TableName: table(),
      Key: { pk: key.pk, sk: key.sk },
      UpdateExpression: `SET #st = :to, updatedAt = :at, evt = :evt${names.map((n, i) => `, #x${i} = :x${i}`).join('')}`,
      ConditionExpression: '#st = :booked',
      ExpressionAttributeNames: { '#st': 'status', ...Object.fromEntries(names.map((n, i) => [`#x${i}`, n])) },
      ExpressionAttributeValues: {
        ':to': to, ':at': at, ':booked': 'booked', ':evt': eventAttribute(event, new Date(at)).evt,
        ...Object.fromEntries(names.map((n, i) => [`:x${i}`, extra[n]])),
      },
    },
  };
}

export async function cancelBooking(b: Booking, at: string, event: DomainEvent): Promise<{ ok: boolean }> {
  const key = bookingKey(b.id)!;
  const r = await transact([
    bookingTransition(b, 'cancelled', at, event),
    {
      Update: {
        TableName: table(),
        Key: { pk: key.pk, sk: `COUNT#${b.slot}` },
        UpdateExpression: 'ADD booked :minus',
        ConditionExpression: 'booked > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      },
    },
    {
      Update: {
        TableName: table(),
        Key: { pk: `ELDER#${b.elderId}`, sk: `BK#${b.date}#${b.slot}` },
        UpdateExpression: 'REMOVE active',
        ConditionExpression: 'active = :id',
        ExpressionAttributeValues: { ':id': b.id },
      },
    },
  ]);
  return { ok: r.ok };
}

/**
 * Marks a booking no_show (the seat stays taken: the meal was cooked) and, for an elder living
 * alone, raises the welfare alert in the same transaction: no alert without its no-show, and
 * the booking's status condition means a rerun of the job can't raise a second one.
 */
export async function markNoShow(b: Booking, at: string, event: DomainEvent, alert?: Alert & { evt: DomainEvent }): Promise<boolean> {
  const items = [bookingTransition(b, 'no_show', at, event)];
  if (alert) {
    const { evt, ...rest } = alert;
    items.push({ Put: { TableName: table(), Item: { pk: `ALERTS#${alert.county}`, sk: alert.id, ...rest, ...eventAttribute(evt, new Date(at)) }, ConditionExpression: 'attribute_not_exists(pk)' } });
  }
  const r = await transact(items);
  return r.ok;
}

export async function listAlerts(county: string): Promise<Alert[]> {
  const items = await queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `ALERTS#${county}` }, ScanIndexForward: false });
  return items.map((i) => strip<Alert>(i)!);
}

export async function getAlert(county: string, id: string): Promise<Alert | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `ALERTS#${county}`, sk: id } }));
  return strip<Alert>(out.Item);
}

export async function closeAlert(a: Alert, closed: NonNullable<Alert['closed']>, event: DomainEvent): Promise<boolean> {
  try {
    await db().send(new UpdateCommand({
      TableName: table(),
      Key: { pk: `ALERTS#${a.county}`, sk: a.id },
      UpdateExpression: 'SET #st = :closed, closed = :c, evt = :evt',
      ConditionExpression: '#st = :open',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':c': closed, ':evt': eventAttribute(event, new Date(closed.at)).evt },
    }));
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

export async function activeBookingId(elderId: string, date: string, slot: Slot): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `ELDER#${elderId}`, sk: `BK#${date}#${slot}` }, ProjectionExpression: 'active' }));
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

export async function elderBookings(elderId: string): Promise<Booking[]> {
  const out = await db().send(new QueryCommand({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :bk)',
    ExpressionAttributeValues: { ':pk': `ELDER#${elderId}`, ':bk': 'BK#' },
    ScanIndexForward: false,
    Limit: 100,
  }));
  const ids = (out.Items ?? []).flatMap((i) => (i.ids as string[] | undefined) ?? []);
  const keys = ids.map((id) => bookingKey(id)).filter((k) => k !== undefined).map(({ pk, sk }) => ({ pk, sk }));
  const found = (await batchGetAll(table(), keys)).map((i) => strip<Booking>(i)!);
  return found.sort((a, b) => (b.date + b.slot).localeCompare(a.date + a.slot) || b.createdAt.localeCompare(a.createdAt));
}

// ---- servings

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
  const items: TransactItem[] = [put];
  if (s.subsidyFen > 0) {
    const capped = opts.dailyCapFen !== undefined;
    items.push(withOld({
      Update: {
        TableName: table(),
        Key: { pk: `ELDER#${s.elderId}`, sk: `DAY#${s.date}` },
        UpdateExpression: 'ADD slots :slotSet, subsidyFen :s',
        ConditionExpression: `(attribute_not_exists(slots) OR NOT contains(slots, :slot))${capped ? ' AND (attribute_not_exists(subsidyFen) OR subsidyFen <= :before)' : ''}`,
        ExpressionAttributeValues: { ':slotSet': new Set([s.slot]), ':s': s.subsidyFen, ':slot': s.slot, ...(capped && { ':before': opts.dailyCapFen! - s.subsidyFen }) },
      },
    }));
  }
  if (opts.booking) {
    items.push(bookingTransition(opts.booking, 'served', s.recordedAt, { type: 'booking.served', county: s.county, entity: `booking:${opts.booking.id}`, data: { bookingId: opts.booking.id, servingId: s.id } }, { servingId: s.id }));
  }
  if (items.length === 1) {
    try {
      await db().send(new PutCommand({ ...put.Put!, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      return { ok: true };
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return { ok: false, reason: 'duplicate', existing: strip<Serving>(unmarshallItem(e.Item))! };
      throw e;
    }
  }
  const r = await transact(items);
  if (r.ok) return r;
  const [serving, guard] = r.reasons;
  if (serving?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'duplicate', existing: strip<Serving>(serving.item)! };
  if (s.subsidyFen > 0 && guard?.code === 'ConditionalCheckFailed') {
    const slotsTaken = guard.item?.slots as Set<string> | undefined;
    if (slotsTaken?.has(s.slot)) return { ok: false, reason: 'slot_already_subsidised' };
    return { ok: false, reason: 'cap', usedTodayFen: Number(guard.item?.subsidyFen ?? 0) };
  }
  if (opts.booking && r.reasons.at(-1)?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'booking_changed' };
  throw new Error(`serving cancelled: ${r.reasons.map((x) => x.code ?? '-').join(',')}`);
}

const unmarshallItem = (item: unknown): Record<string, unknown> | undefined => (item ? unmarshall(item as Parameters<typeof unmarshall>[0]) : undefined);

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

export async function siteServings(siteId: string, date: string): Promise<Serving[]> {
  const items = await queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SRV#${siteId}#${date}` } });
  return items.map((i) => strip<Serving>(i)!);
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
        Key: { pk: `ELDER#${s.elderId}`, sk: `DAY#${s.date}` },
        UpdateExpression: 'DELETE slots :slotSet ADD subsidyFen :minus',
        ConditionExpression: 'contains(slots, :slot)',
        ExpressionAttributeValues: { ':slotSet': new Set([s.slot]), ':slot': s.slot, ':minus': -s.subsidyFen },
      },
    });
  }
  const r = await transact(items);
  return { ok: r.ok };
}
