import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { db, queryAll, queryPage, type KeyPosition } from '../lib/dynamo.js';
import { newEventId } from '../lib/ids.js';
import { transact, withOld, type TransactItem } from '../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../events/outbox.js';
import type { Delta } from './domain/occupancy.js';
import type { Bed, BedLogEntry, HomeCareBed, Institution, Residence } from './domain/model.js';

/**
 * Data access for the Beds table.
 *
 * | record                  | pk                    | sk                              |
 * |-------------------------|-----------------------|---------------------------------|
 * | institution             | INST#<instId>         | INST                            |
 * | bed                     | INST#<instId>         | BED#<label>                     |
 * | change log entry        | INST#<instId>         | LOG#<ulid>                      |
 * | elder's residence guard | ELDER#<elderId>       | RESIDENCE                       |
 * | elder's home care guard | ELDER#<elderId>       | HOMECARE                        |
 * | home care bed           | HCB#<id>              | HCB                             |
 * | occupancy counters      | COUNTERS#<county>     | COUNTY, TOWNSHIP#<code>, INST#<township>#<instId> |
 * | daily history point     | HISTORY#<county>      | <date>#COUNTY, <date>#TOWNSHIP#<code> |
 *
 * Access patterns:
 * - admit / discharge / transfer / bed status: one transaction: the bed (conditioned on its
 *   status or occupant), the elder's residence guard (one bed per elder in the county), the
 *   three counters (institution, township, county) and a log entry
 * - add beds: one transaction of up to 95 bed puts (label unique by key) + counters + log
 * - an institution's beds: Query INST#<id> begins_with BED# (by label; a status is a filter:
 *   the institution's other beds are read too); its log: begins_with LOG#, newest first. Both
 *   paged in DynamoDB (Limit, ExclusiveStartKey): a page of the log costs the same in its
 *   tenth year as in its first
 * - occupancy, vacancies: one Query of COUNTERS#<county> (items per institution and township,
 *   never per bed), so its cost does not grow with the number of beds
 * - history: Query HISTORY#<county> between dates
 * Bed ids encode institution and label, so a bed is read by id with a GetItem.
 */
const table = () => config.tableName('beds');

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
export const bedIdOf = (institutionId: string, label: string) => `bed_${b64(`${institutionId}|${label}`)}`;
export function bedKey(id: string): { pk: string; sk: string; institutionId: string } | undefined {
  if (!id.startsWith('bed_')) return undefined;
  const text = Buffer.from(id.slice(4), 'base64url').toString('utf8');
  const cut = text.indexOf('|');
  if (cut < 1) return undefined;
  const institutionId = text.slice(0, cut);
  return { pk: `INST#${institutionId}`, sk: `BED#${text.slice(cut + 1)}`, institutionId };
}

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, evt: _evt, ...rest } = item;
  return rest as T;
};

export const counterKeys = (i: Pick<Institution, 'id' | 'county' | 'township'>) => [
  { pk: `COUNTERS#${i.county}`, sk: `INST#${i.township}#${i.id}` },
  { pk: `COUNTERS#${i.county}`, sk: `TOWNSHIP#${i.township}` },
  { pk: `COUNTERS#${i.county}`, sk: 'COUNTY' },
];

/**
 * Counter updates for a delta: the institution's always (it records when its beds last changed,
 * for the stale flag), the township's and county's only when a count moves.
 */
function counterUpdates(i: Pick<Institution, 'id' | 'county' | 'township'>, delta: Delta, at: string): TransactItem[] {
  return counterKeys(i).flatMap((key, n) => {
    const isInstitution = n === 0;
    const entries: [string, number][] = [...Object.entries(delta.counts), ...(isInstitution ? Object.entries(delta.vacantTags) : [])];
    if (!entries.length && !isInstitution) return [];
    const names = Object.fromEntries(entries.map(([field], k) => [`#f${k}`, field]));
    const values: Record<string, unknown> = Object.fromEntries(entries.map(([, d], k) => [`:v${k}`, d]));
    const add = entries.length ? `ADD ${entries.map((_, k) => `#f${k} :v${k}`).join(', ')}` : '';
    const set = isInstitution ? ' SET lastBedUpdateAt = :at' : '';
    if (isInstitution) values[':at'] = at;
    return [{
      Update: {
        TableName: table(),
        Key: key,
        UpdateExpression: `${add}${set}`.trim(),
        ...(entries.length && { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: values,
      },
    }];
  });
}

const logPut = (institutionId: string, entry: BedLogEntry): TransactItem => ({
  Put: { TableName: table(), Item: { pk: `INST#${institutionId}`, sk: `LOG#${newEventId(Date.parse(entry.at))}`, ...entry } },
});

// ---- institutions and beds

export async function putInstitution(i: Institution, event: DomainEvent): Promise<void> {
  const r = await transact([
    { Put: { TableName: table(), Item: { pk: `INST#${i.id}`, sk: 'INST', ...i, ...eventAttribute(event) }, ConditionExpression: 'attribute_not_exists(pk)' } },
    // The institution's counter carries what the vacancy search shows, so it needs no other read.
    {
      Put: {
        TableName: table(),
        Item: { ...counterKeys(i)[0], institutionId: i.id, name: i.name, kind: i.kind, township: i.township, ...(i.starRating && { starRating: i.starRating }), beds: 0, lastBedUpdateAt: i.createdAt },
      },
    },
  ]);
  if (!r.ok) throw new Error('institution write cancelled');
}

export async function getInstitution(id: string): Promise<Institution | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `INST#${id}`, sk: 'INST' } }));
  return strip<Institution>(out.Item);
}

export async function insertBeds(i: Institution, beds: Bed[], delta: Delta, log: BedLogEntry, event: DomainEvent): Promise<{ ok: true } | { ok: false; takenLabel: string }> {
  const items: TransactItem[] = beds.map((b) => ({
    Put: { TableName: table(), Item: { pk: `INST#${i.id}`, sk: `BED#${b.label}`, ...b }, ConditionExpression: 'attribute_not_exists(pk)' },
  }));
  // The event rides on the log entry: one event for the batch of beds.
  const logItem = logPut(i.id, log);
  Object.assign(logItem.Put!.Item!, eventAttribute(event, new Date(log.at)));
  const r = await transact([...items, ...counterUpdates(i, delta, log.at), logItem]);
  if (r.ok) return r;
  const idx = r.reasons.findIndex((x) => x.code === 'ConditionalCheckFailed');
  if (idx >= 0 && idx < beds.length) return { ok: false, takenLabel: beds[idx]!.label };
  throw new Error(`adding beds cancelled: ${r.reasons.map((x) => x.code ?? '-').join(',')}`);
}

export async function getBed(id: string): Promise<Bed | undefined> {
  const key = bedKey(id);
  if (!key) return undefined;
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: key.pk, sk: key.sk } }));
  return strip<Bed>(out.Item);
}

/** A page of the institution's change log, newest first (log keys are ULIDs). */
export async function bedLogPage(institutionId: string, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: BedLogEntry[]; next?: KeyPosition }> {
  const { items, next } = await queryPage({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :l)',
    ExpressionAttributeValues: { ':pk': `INST#${institutionId}`, ':l': 'LOG#' },
    ScanIndexForward: false,
  }, page, ['pk', 'sk']);
  return { items: items.map((i) => strip<BedLogEntry>(i)!), ...(next && { next }) };
}

/** A page of the institution's beds by label, optionally of one status. */
export async function bedsPage(institutionId: string, status: string | undefined, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: Bed[]; next?: KeyPosition }> {
  const { items, next } = await queryPage({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :b)',
    ...(status && { FilterExpression: '#st = :st', ExpressionAttributeNames: { '#st': 'status' } }),
    ExpressionAttributeValues: { ':pk': `INST#${institutionId}`, ':b': 'BED#', ...(status && { ':st': status }) },
  }, page, ['pk', 'sk']);
  return { items: items.map((i) => strip<Bed>(i)!), ...(next && { next }) };
}

export async function listBeds(institutionId: string): Promise<Bed[]> {
  const items = await queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :b)', ExpressionAttributeValues: { ':pk': `INST#${institutionId}`, ':b': 'BED#' } });
  return items.map((i) => strip<Bed>(i)!);
}

// ---- residents

const bedUpdate = (b: Bed, set: { status: Bed['status']; occupant?: Bed['occupant'] }, at: string, condition: string, values: Record<string, unknown>, event?: DomainEvent): TransactItem => {
  const key = bedKey(b.id)!;
  return {
    Update: {
      TableName: table(),
      Key: { pk: key.pk, sk: key.sk },
      UpdateExpression: `SET #st = :status, updatedAt = :at${set.occupant ? ', occupant = :occ' : ''}${event ? ', evt = :evt' : ''}${set.occupant ? '' : ' REMOVE occupant'}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':status': set.status, ':at': at, ...(set.occupant && { ':occ': set.occupant }), ...(event && { ':evt': eventAttribute(event, new Date(at)).evt }), ...values },
    },
  };
};

export type AdmitResult = { ok: true } | { ok: false; reason: 'bed_not_vacant' | 'elder_admitted'; existing?: Residence };

export async function admit(i: Institution, b: Bed, r: Residence, delta: Delta, log: BedLogEntry, event: DomainEvent): Promise<AdmitResult> {
  const out = await transact([
    bedUpdate(b, { status: 'occupied', occupant: { elderId: r.elderId, since: r.since } }, log.at, '#st = :vacant', { ':vacant': 'vacant' }, event),
    withOld({ Put: { TableName: table(), Item: { pk: `ELDER#${r.elderId}`, sk: 'RESIDENCE', ...r }, ConditionExpression: 'attribute_not_exists(pk)' } }),
    ...counterUpdates(i, delta, log.at),
    logPut(i.id, log),
  ]);
  if (out.ok) return out;
  if (out.reasons[1]?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'elder_admitted', existing: strip<Residence>(out.reasons[1].item) };
  if (out.reasons[0]?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'bed_not_vacant' };
  throw new Error(`admission cancelled: ${out.reasons.map((x) => x.code ?? '-').join(',')}`);
}

export async function getResidence(elderId: string): Promise<Residence | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `ELDER#${elderId}`, sk: 'RESIDENCE' } }));
  return strip<Residence>(out.Item);
}

export async function discharge(i: Institution, b: Bed, elderId: string, delta: Delta, log: BedLogEntry, event: DomainEvent): Promise<boolean> {
  const out = await transact([
    bedUpdate(b, { status: 'vacant' }, log.at, 'occupant.elderId = :elder', { ':elder': elderId }, event),
    { Delete: { TableName: table(), Key: { pk: `ELDER#${elderId}`, sk: 'RESIDENCE' }, ConditionExpression: 'bedId = :bed', ExpressionAttributeValues: { ':bed': b.id } } },
    ...counterUpdates(i, delta, log.at),
    logPut(i.id, log),
  ]);
  return out.ok;
}

export type TransferResult = { ok: true } | { ok: false; reason: 'moved' | 'target_not_vacant' };

export async function transfer(i: Institution, from: Bed, to: Bed, r: Residence, delta: Delta, log: BedLogEntry, event: DomainEvent): Promise<TransferResult> {
  const out = await transact([
    bedUpdate(from, { status: 'vacant' }, log.at, 'occupant.elderId = :elder', { ':elder': r.elderId }),
    bedUpdate(to, { status: 'occupied', occupant: { elderId: r.elderId, since: log.at } }, log.at, '#st = :vacant', { ':vacant': 'vacant' }, event),
    {
      Update: {
        TableName: table(),
        Key: { pk: `ELDER#${r.elderId}`, sk: 'RESIDENCE' },
        UpdateExpression: 'SET bedId = :to, bedLabel = :label, since = :at',
        ConditionExpression: 'bedId = :from',
        ExpressionAttributeValues: { ':to': to.id, ':label': to.label, ':at': log.at, ':from': from.id },
      },
    },
    ...counterUpdates(i, delta, log.at),
    logPut(i.id, log),
  ]);
  if (out.ok) return out;
  if (out.reasons[1]?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'target_not_vacant' };
  return { ok: false, reason: 'moved' };
}

export async function setStatus(i: Institution, b: Bed, status: Bed['status'], delta: Delta, log: BedLogEntry, event: DomainEvent): Promise<boolean> {
  const out = await transact([
    bedUpdate(b, { status }, log.at, '#st = :was', { ':was': b.status }, event),
    ...counterUpdates(i, delta, log.at),
    logPut(i.id, log),
  ]);
  return out.ok;
}

// ---- home care beds

export async function openHomeCare(i: Institution, h: HomeCareBed, delta: Delta, event: DomainEvent): Promise<boolean> {
  const out = await transact([
    { Put: { TableName: table(), Item: { pk: `ELDER#${h.elderId}`, sk: 'HOMECARE', id: h.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: table(), Item: { pk: `HCB#${h.id}`, sk: 'HCB', ...h, ...eventAttribute(event) } } },
    ...counterUpdates(i, delta, new Date().toISOString()),
  ]);
  return out.ok;
}

export async function getHomeCare(id: string): Promise<HomeCareBed | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `HCB#${id}`, sk: 'HCB' } }));
  return strip<HomeCareBed>(out.Item);
}

export async function closeHomeCare(i: Institution, h: HomeCareBed, closedAt: string, delta: Delta, event: DomainEvent): Promise<boolean> {
  const at = new Date().toISOString();
  const out = await transact([
    {
      Update: {
        TableName: table(),
        Key: { pk: `HCB#${h.id}`, sk: 'HCB' },
        UpdateExpression: 'SET #st = :closed, closedAt = :c, evt = :evt',
        ConditionExpression: '#st = :open',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':c': closedAt, ':evt': eventAttribute(event).evt },
      },
    },
    { Delete: { TableName: table(), Key: { pk: `ELDER#${h.elderId}`, sk: 'HOMECARE' }, ConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': h.id } } },
    ...counterUpdates(i, delta, at),
  ]);
  return out.ok;
}

// ---- counters and history

export async function countersOf(county: string): Promise<Record<string, unknown>[]> {
  return queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `COUNTERS#${county}` } });
}

export async function putHistory(county: string, date: string, scope: string, counts: Record<string, unknown>): Promise<void> {
  await db().send(new PutCommand({ TableName: table(), Item: { pk: `HISTORY#${county}`, sk: `${date}#${scope}`, date, scope, ...counts } }));
}

export async function historyOf(county: string, from: string, to: string): Promise<Record<string, unknown>[]> {
  return queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':pk': `HISTORY#${county}`, ':a': `${from}#`, ':b': `${to}#~` } });
}

export async function countiesWithCounters(): Promise<string[]> {
  const out = await db().send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'COUNTIES' } }));
  return (out.Items ?? []).map((i) => String(i.sk));
}

export async function registerCounty(county: string): Promise<void> {
  await db().send(new PutCommand({ TableName: table(), Item: { pk: 'COUNTIES', sk: county } }));
}
