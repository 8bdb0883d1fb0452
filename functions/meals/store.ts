import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { config } from '../lib/config.js';
import { countyOf } from '#shared/auth/area.js';
import { batchGetAll, db, queryAll, queryPage, type KeyPosition, strip } from '../lib/dynamo.js';
import { type TransactItem, transact, transactNamed, withOld } from '../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../events/outbox.js';
import type { Slot } from './domain/subsidy.js';
import type { Alert, Booking, MealSite, Menu, PolicyVersion, Serving } from './domain/model.js';

/**
 * Data access for the Meals table (single-table design). Both indexes are sparse.
 *
 * | record                      | pk                      | sk                                  | gsi1pk / gsi1sk                              | gsi2pk / gsi2sk                        |
 * |-----------------------------|-------------------------|-------------------------------------|----------------------------------------------|----------------------------------------|
 * | meal site                   | SITE#<siteId>           | SITE                                | COUNTY#<county>#SITES / <township>#<siteId>  |                                        |
 * | menu                        | SITE#<siteId>           | MENU#<date>                         |                                              |                                        |
 * | subsidy policy version      | POLICY#<county>         | <effectiveFrom>                     |                                              |                                        |
 * | seat counter                | SITEDAY#<siteId>#<date> | COUNT#<slot>                        |                                              |                                        |
 * | booking                     | SITEDAY#<siteId>#<date> | BK#<slot>#<ulid>                    |                                              |                                        |
 * | elder's booking guard       | ELDER#<elderId>         | BK#<date>#<slot>                    |                                              |                                        |
 * | serving                     | SRV#<county>#<date>     | <township>#<siteId>#<clientRecordId> |                                             |                                        |
 * | elder's day (subsidy guard) | ELDER#<elderId>         | DAY#<date>                          |                                              |                                        |
 * | welfare alert               | ALERTS#<county>         | <alertId>                           | ALERTS#<county>#<status> / <alertId>         | ALERTS#<township>#<status> / <alertId> |
 * | county with meal sites      | COUNTIES                | <county>                            |                                              |                                        |
 * | report job                  | REPORT#<reportId>       | REPORTJOB                           |                                              |                                        |
 * | report result part          | REPORT#<reportId>       | PART#<runId>#<n>                    |                                              |                                        |
 *
 * Access patterns and their cost (write units; a transaction costs double). Lists are paged in
 * DynamoDB (Limit = page + 1, ExclusiveStartKey): a page costs the same however long the list.
 * - book: counter +1 if below capacity, booking put, guard set-if-free: one transaction, 6 WCU
 * - cancel: booking status, counter -1, guard freed: one transaction, 6 WCU
 * - availability and the kitchen list: one Query of SITEDAY#<siteId>#<date>
 * - an elder's bookings, newest first: Query ELDER#<id> BK# guards descending (each lists its
 *   slot's booking ids), BatchGet of the page's bookings
 *   their open bookings from a date on (a death): Query ELDER#<id> sk between BK#<date> and BK#~
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
 * - policy in force on a date: Query POLICY#<county>, sk <= date, newest first, limit 1
 * - a county's sites: Query gsi1 COUNTY#<county>#SITES (begins_with <township> for one township)
 * - the no-show job: Query COUNTIES, then each county's sites, then each site-day (no Scan)
 * - no-show of a living-alone elder: booking status + alert put (with its open index entries),
 *   one transaction; closing it moves both index entries to `closed` in its UpdateItem
 * - alerts of one status, newest first: Query gsi1 (county) or gsi2 (township); never reads
 *   alerts of the other status. All statuses: Query ALERTS#<county> (filtered by township)
 * - report job: put if absent (its insert starts the worker via the stream), result parts put
 *   if absent, then status updated if still running; read: GetItem, Query of the run's parts
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
/**
 * A serving's id encodes its key: `sv_<township><yyyymmdd><siteId>-<base64url clientRecordId>`
 * (the county is the township's first six digits; site ids have no '-'). Compact on purpose:
 * the id is stored three times in the item (as `id` and twice in its event), and a serving
 * must stay within 1 KB to cost 4 write units.
 */
export const servingId = (site: Pick<MealSite, 'id' | 'township'>, date: string, clientRecordId: string) => `sv_${site.township}${date.replaceAll('-', '')}${site.id}-${b64(clientRecordId)}`;
export function servingKey(id: string): { pk: string; sk: string } | undefined {
  const m = /^sv_(\d{9})(\d{4})(\d{2})(\d{2})([A-Za-z0-9_]+)-([A-Za-z0-9_-]+)$/.exec(id);
  if (!m) return undefined;
  const [, township, y, mo, d, siteId, record] = m as unknown as [string, string, string, string, string, string, string];
  const clientRecordId = unb64(record);
  return clientRecordId ? servingKeyOf(township, siteId, `${y}-${mo}-${d}`, clientRecordId) : undefined;
}
/** Servings live in one partition per county and day, sorted by township and site. */
const servingKeyOf = (township: string, siteId: string, date: string, clientRecordId: string) => ({ pk: servingsPk(countyOf(township), date), sk: `${township}#${siteId}#${clientRecordId}` });
const servingsPk = (county: string, date: string) => `SRV#${county}#${date}`;

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

/** The sites among these ids (BatchGetItem): the ones a set of servings was served at. */
export async function getSites(ids: readonly string[]): Promise<MealSite[]> {
  const found = await batchGetAll(table(), [...new Set(ids)].map((id) => ({ pk: `SITE#${id}`, sk: 'SITE' })));
  return found.map((i) => strip<MealSite>(i)!);
}

/** A page of the county's (or a township's) sites, by township and site id. */
export async function sitesPage(county: string, township: string | undefined, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: MealSite[]; next?: KeyPosition }> {
  const { items, next } = await queryPage({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: township ? 'gsi1pk = :pk AND begins_with(gsi1sk, :t)' : 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `COUNTY#${county}#SITES`, ...(township && { ':t': `${township}#` }) },
  }, page, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
  return { items: items.map((i) => strip<MealSite>(i)!), ...(next && { next }) };
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
  const r = await transactNamed({
    guard: withOld({
      Update: {
        TableName: table(),
        Key: { pk: `ELDER#${b.elderId}`, sk: `BK#${b.date}#${b.slot}` },
        UpdateExpression: 'SET active = :id, ids = list_append(if_not_exists(ids, :empty), :ids)',
        ConditionExpression: 'attribute_not_exists(active)',
        ExpressionAttributeValues: { ':id': b.id, ':ids': [b.id], ':empty': [] },
      },
    }),
    counter: {
      Update: {
        TableName: table(),
        Key: { pk: key.pk, sk: `COUNT#${b.slot}` },
        UpdateExpression: 'ADD booked :one',
        ConditionExpression: 'attribute_not_exists(booked) OR booked < :cap',
        ExpressionAttributeValues: { ':one': 1, ':cap': capacity },
      },
    },
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
  if (r.failed.counter?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'slot_full' };
  throw new Error(`booking cancelled: ${r.codes}`);
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
      UpdateExpression: `SET #st = :to, updatedAt = :at, evt = :evt${names.map((_n, i) => `, #x${i} = :x${i}`).join('')}`,
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
/**
 * A welfare alert's index entries. gsi1 lists a county's alerts of one status, gsi2 a
 * township's, both newest first (alert ids are ULIDs). Closing moves the entries to the
 * `closed` partitions in the same UpdateItem, so a list of open alerts never reads a closed one.
 */
const alertIndexKeys = (a: Pick<Alert, 'id' | 'county' | 'township'>, status: Alert['status']) => ({
  gsi1pk: `ALERTS#${a.county}#${status}`, gsi1sk: a.id, gsi2pk: `ALERTS#${a.township}#${status}`, gsi2sk: a.id,
});

/**
 * Marks a booking no_show (the seat stays taken: the meal was cooked) and, for an elder living
 * alone, raises the welfare alert in the same transaction: no alert without its no-show, and
 * the booking's status condition means a rerun of the job can't raise a second one.
 */
export async function markNoShow(b: Booking, at: string, event: DomainEvent, alert?: Alert & { evt: DomainEvent }): Promise<boolean> {
  const items = [bookingTransition(b, 'no_show', at, event)];
  if (alert) {
    const { evt, ...rest } = alert;
    items.push({ Put: { TableName: table(), Item: { pk: `ALERTS#${alert.county}`, sk: alert.id, ...rest, ...alertIndexKeys(alert, 'open'), ...eventAttribute(evt, new Date(at)) }, ConditionExpression: 'attribute_not_exists(pk)' } });
  }
  const r = await transact(items);
  return r.ok;
}

/**
 * A page of alerts, newest first. Of one status: a Query of gsi2 (a township) or gsi1 (the
 * county), which holds only alerts of that status. `all`: the county's partition, filtered by
 * township when one is given (that history view reads the county's alerts).
 */
export async function alertsPage(county: string, township: string | undefined, status: Alert['status'] | 'all', page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: Alert[]; next?: KeyPosition }> {
  const input = status === 'all'
    ? {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ALERTS#${county}`, ...(township && { ':t': township }) },
        ...(township && { FilterExpression: 'township = :t' }),
        keys: ['pk', 'sk'],
      }
    : township
      ? { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': `ALERTS#${township}#${status}` }, keys: ['pk', 'sk', 'gsi2pk', 'gsi2sk'] }
      : { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `ALERTS#${county}#${status}` }, keys: ['pk', 'sk', 'gsi1pk', 'gsi1sk'] };
  const { keys, ...query } = input;
  const { items, next } = await queryPage({ TableName: table(), ...query, ScanIndexForward: false }, page, keys);
  return { items: items.map((i) => strip<Alert>(i)!), ...(next && { next }) };
}

export async function getAlert(county: string, id: string): Promise<Alert | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `ALERTS#${county}`, sk: id } }));
  return strip<Alert>(out.Item);
}

export async function closeAlert(a: Alert, closed: NonNullable<Alert['closed']>, event: DomainEvent): Promise<boolean> {
  const moved = alertIndexKeys(a, 'closed');
  try {
    await db().send(new UpdateCommand({
      TableName: table(),
      Key: { pk: `ALERTS#${a.county}`, sk: a.id },
      UpdateExpression: 'SET #st = :closed, closed = :c, evt = :evt, gsi1pk = :g1, gsi2pk = :g2',
      ConditionExpression: '#st = :open',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':c': closed, ':evt': eventAttribute(event, new Date(closed.at)).evt, ':g1': moved.gsi1pk, ':g2': moved.gsi2pk },
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
  let day: TransactItem | undefined;
  if (s.subsidyFen > 0) {
    const capped = opts.dailyCapFen !== undefined;
    day = withOld({
      Update: {
        TableName: table(),
        Key: { pk: `ELDER#${s.elderId}`, sk: `DAY#${s.date}` },
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
    try {
      await db().send(new PutCommand({ ...put.Put!, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      return { ok: true };
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return { ok: false, reason: 'duplicate', existing: strip<Serving>(unmarshallItem(e.Item))! };
      throw e;
    }
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

// ---- report jobs (reports too big to answer within a request)

/** A report computed in the background: who asked, for what, and where it stands. */
export interface ReportJob {
  readonly reportId: string;
  readonly kind: 'meals.anomalies';
  readonly status: 'running' | 'done' | 'failed';
  readonly county: string;
  /** The report's query and the caller it is computed for (the same area checks apply). */
  readonly month: string;
  readonly township?: string;
  readonly requestedBy: { readonly sub: string; readonly township?: string };
  readonly requestedAt: string;
  readonly finishedAt?: string;
  readonly error?: { readonly code: string; readonly message: string };
  /** The run whose result parts are the answer (`PART#<runId>#<n>`), and how many parts. */
  readonly runId?: string;
  readonly parts?: number;
}

const jobKey = (reportId: string) => ({ pk: `REPORT#${reportId}`, sk: 'REPORTJOB' });
/** Jobs and their results age out after a week (TTL): a report is asked for again, not archived. */
const jobExpiry = (at: string) => Math.floor(Date.parse(at) / 1000) + 7 * 86_400;

/** Records a new job. Inserting it is what starts the worker in AWS (the table's stream, filtered to job inserts). */
export async function putReportJob(job: ReportJob): Promise<void> {
  await db().send(new PutCommand({ TableName: table(), Item: { ...jobKey(job.reportId), ...job, expiresAt: jobExpiry(job.requestedAt) }, ConditionExpression: 'attribute_not_exists(pk)' }));
}

export async function getReportJob(reportId: string): Promise<ReportJob | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: jobKey(reportId) }));
  if (!out.Item) return undefined;
  const { expiresAt: _e, ...job } = strip<ReportJob & { expiresAt?: number }>(out.Item)!;
  return job;
}

/**
 * Stores a finished job's result, in parts of at most 350 KB (a DynamoDB item holds 400 KB),
 * under this run's id, then marks the job done, conditioned on it still running. A retried run
 * writes parts of its own id, so two runs never mix; the loser's parts just expire.
 */
export async function finishReportJob(job: ReportJob, runId: string, result: Buffer, at: string): Promise<boolean> {
  const PART = 350_000;
  const parts = Math.max(1, Math.ceil(result.length / PART));
  for (let n = 0; n < parts; n++) {
    await db().send(new PutCommand({
      TableName: table(),
      Item: { pk: jobKey(job.reportId).pk, sk: `PART#${runId}#${String(n).padStart(3, '0')}`, data: result.subarray(n * PART, (n + 1) * PART), expiresAt: jobExpiry(job.requestedAt) },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  }
  return endJob(job.reportId, 'SET #st = :done, finishedAt = :at, runId = :run, parts = :n', { ':done': 'done', ':at': at, ':run': runId, ':n': parts });
}

export async function failReportJob(reportId: string, error: { code: string; message: string }, at: string): Promise<boolean> {
  return endJob(reportId, 'SET #st = :failed, finishedAt = :at, #err = :e', { ':failed': 'failed', ':at': at, ':e': error }, { '#err': 'error' });
}

async function endJob(reportId: string, update: string, values: Record<string, unknown>, names: Record<string, string> = {}): Promise<boolean> {
  try {
    await db().send(new UpdateCommand({
      TableName: table(), Key: jobKey(reportId), UpdateExpression: update, ConditionExpression: '#st = :running',
      ExpressionAttributeNames: { '#st': 'status', ...names }, ExpressionAttributeValues: { ...values, ':running': 'running' },
    }));
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

/** A done job's result, its parts joined in order. */
export async function reportJobResult(job: ReportJob): Promise<Buffer> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
    ExpressionAttributeValues: { ':pk': jobKey(job.reportId).pk, ':run': `PART#${job.runId}#` },
  });
  return Buffer.concat(items.map((i) => Buffer.from(i.data as Uint8Array)));
}
