import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { batchGetAll, db, queryAll, queryPage, type KeyPosition, strip } from '../lib/dynamo.js';
import { newEventId } from '../lib/ids.js';
import { type TransactItem, transact, transactNamed, withOld } from '../lib/transact.js';
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
 * | elder's residence guard | ELDER#<elderId>       | RESIDENCE (the bed now; after a discharge only leftAt) |
 * | elder's home care guard | ELDER#<elderId>       | HOMECARE (the open one's id; after a close only closedAt) |
 * | home care bed           | HCB#<id>              | HCB                             |
 * | occupancy counters      | COUNTERS#<county>     | COUNTY, TOWNSHIP#<code>, INST#<township>#<instId> |
 * | daily history point     | HISTORY#<county>      | <date>#COUNTY, <date>#TOWNSHIP#<code> |
 *
 * Access patterns:
 * - admit / discharge / transfer / bed status: one transaction: the bed (conditioned on its
 *   status or occupant), the elder's residence guard (one bed per elder in the county), the
 *   three counters (institution, township, county) and a log entry. Dates are guarded in the
 *   same conditions: a bed keeps `vacantSince` (when its last occupant left) and the elder's
 *   guard `leftAt`, so no admission or transfer can be dated before either
 * - add beds: one transaction of up to 95 bed puts (label unique by key) + counters + log
 * - an institution's beds: Query INST#<id> begins_with BED# (by label; a status is a filter:
 *   the institution's other beds are read too); its log: begins_with LOG#, newest first. Both
 *   paged in DynamoDB (Limit, ExclusiveStartKey): a page of the log costs the same in its
 *   tenth year as in its first
 * - occupancy, vacancies: one Query of COUNTERS#<county> (items per institution and township,
 *   never per bed), so its cost does not grow with the number of beds
 * - history: Query HISTORY#<county> between dates
 * - list institutions (staff): Query COUNTERS#<county> begins_with INST# (or INST#<township>#),
 *   a kind as a filter, paged; then BatchGet of the page's institution items
 * - change an institution: one transaction: the institution updated and its counter's copy of
 *   name, kind and star rating (what the vacancy search shows)
 * Bed ids encode institution and label, so a bed is read by id with a GetItem.
 */
const table = () => config.tableName('beds');

/** Each record's key (see the table above). */
const institutionKey = (id: string) => ({ pk: `INST#${id}`, sk: 'INST' });
const bedRecordKey = (institutionId: string, label: string) => ({ pk: `INST#${institutionId}`, sk: `BED#${label}` });
const logKey = (institutionId: string, at: string) => ({ pk: `INST#${institutionId}`, sk: `LOG#${newEventId(Date.parse(at))}` });
export const residenceKey = (elderId: string) => ({ pk: `ELDER#${elderId}`, sk: 'RESIDENCE' });
const homeCareGuardKey = (elderId: string) => ({ pk: `ELDER#${elderId}`, sk: 'HOMECARE' });
const homeCareKey = (id: string) => ({ pk: `HCB#${id}`, sk: 'HCB' });
const historyKey = (county: string, date: string, scope: string) => ({ pk: `HISTORY#${county}`, sk: `${date}#${scope}` });

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
export const bedIdOf = (institutionId: string, label: string) => `bed_${b64(`${institutionId}|${label}`)}`;
export function bedKey(id: string): { pk: string; sk: string; institutionId: string } | undefined {
  if (!id.startsWith('bed_')) return undefined;
  const text = Buffer.from(id.slice(4), 'base64url').toString('utf8');
  const cut = text.indexOf('|');
  if (cut < 1) return undefined;
  const institutionId = text.slice(0, cut);
  return { ...bedRecordKey(institutionId, text.slice(cut + 1)), institutionId };
}

export const counterKeys = (i: Pick<Institution, 'id' | 'county' | 'township'>) => [
  { pk: `COUNTERS#${i.county}`, sk: `INST#${i.township}#${i.id}` },
  { pk: `COUNTERS#${i.county}`, sk: `TOWNSHIP#${i.township}` },
  { pk: `COUNTERS#${i.county}`, sk: 'COUNTY' },
];

/**
 * New tags for an institution's `tags` set, guarded: the set must still have the size it was
 * read with (sets only grow, so the same size is the same set), or be absent if it was. Two
 * requests adding tags at once can't together pass the institution's bound.
 */
export interface TagGuard {
  readonly add: readonly string[];
  readonly expectedSize: number | undefined;
}

/**
 * Counter updates for a delta: the institution's always (it records when its beds last changed,
 * for the stale flag), the township's and county's only when a count moves. The institution's
 * expression names one attribute per care type and tag that moves; the tag bound
 * (MAX_TAGS_PER_INSTITUTION) keeps it far under DynamoDB's 4 KB expression limit.
 */
export function counterUpdates(i: Pick<Institution, 'id' | 'county' | 'township'>, delta: Delta, at: string, tags?: TagGuard): TransactItem[] {
  return counterKeys(i).flatMap((key, n) => {
    const isInstitution = n === 0;
    const entries: [string, number][] = [...Object.entries(delta.counts), ...(isInstitution ? Object.entries(delta.vacantTags) : [])];
    if (!entries.length && !isInstitution) return [];
    const names: Record<string, string> = Object.fromEntries(entries.map(([field], k) => [`#f${k}`, field]));
    const values: Record<string, unknown> = Object.fromEntries(entries.map(([, d], k) => [`:v${k}`, d]));
    const adds = entries.map((_, k) => `#f${k} :v${k}`);
    const guard = isInstitution && tags?.add.length ? tags : undefined;
    if (guard) {
      adds.push('tags :tags');
      values[':tags'] = new Set(guard.add);
      if (guard.expectedSize !== undefined) values[':n'] = guard.expectedSize;
    }
    const add = adds.length ? `ADD ${adds.join(', ')}` : '';
    const set = isInstitution ? ' SET lastBedUpdateAt = :at' : '';
    if (isInstitution) values[':at'] = at;
    return [{
      Update: {
        TableName: table(),
        Key: key,
        UpdateExpression: `${add}${set}`.trim(),
        ...(guard && { ConditionExpression: guard.expectedSize === undefined ? 'attribute_not_exists(tags)' : 'size(tags) = :n' }),
        ...(Object.keys(names).length && { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: values,
      },
    }];
  });
}

export const logPut = (institutionId: string, entry: BedLogEntry): TransactItem => ({
  Put: { TableName: table(), Item: { ...logKey(institutionId, entry.at), ...entry } },
});

// ---- institutions and beds

export async function putInstitution(i: Institution, event: DomainEvent): Promise<void> {
  const r = await transact([
    { Put: { TableName: table(), Item: { ...institutionKey(i.id), ...i, ...eventAttribute(event) }, ConditionExpression: 'attribute_not_exists(pk)' } },
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
  const out = await db().send(new GetCommand({ TableName: table(), Key: institutionKey(id) }));
  return strip<Institution>(out.Item);
}

/** A page of a county's (or township's) institutions, optionally of one kind, by township and id. */
export async function institutionsPage(county: string, township: string | undefined, kind: string | undefined, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: Institution[]; next?: KeyPosition }> {
  const { items, next } = await queryPage({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ...(kind && { FilterExpression: 'kind = :kind' }),
    ExpressionAttributeValues: { ':pk': `COUNTERS#${county}`, ':p': township ? `INST#${township}#` : 'INST#', ...(kind && { ':kind': kind }) },
    ProjectionExpression: 'pk, sk, institutionId',
  }, page, ['pk', 'sk']);
  const found = new Map((await batchGetAll(table(), items.map((i) => institutionKey(String(i.institutionId))))).map((i) => [String(i.id), strip<Institution>(i)!]));
  return { items: items.map((i) => found.get(String(i.institutionId))).filter((i) => i !== undefined), ...(next && { next }) };
}

export type InstitutionPatch = { name?: string; kind?: Institution['kind']; address?: string | null; starRating?: number | null };

/**
 * Changes an institution and its counter's copy of name, kind and star rating in one
 * transaction (null removes address or star rating). False when the institution is gone.
 */
export async function patchInstitution(i: Institution, patch: InstitutionPatch, at: string, event: DomainEvent): Promise<boolean> {
  const expression = (fields: [string, unknown][]) => {
    const set = fields.filter(([, v]) => v !== null);
    const remove = fields.filter(([, v]) => v === null);
    return {
      UpdateExpression: `SET ${set.map((_, k) => `#s${k} = :s${k}, `).join('')}updatedAt = :at${remove.length ? ` REMOVE ${remove.map((_, k) => `#r${k}`).join(', ')}` : ''}`,
      ExpressionAttributeNames: { ...Object.fromEntries(set.map(([f], k) => [`#s${k}`, f])), ...Object.fromEntries(remove.map(([f], k) => [`#r${k}`, f])) },
      values: { ...Object.fromEntries(set.map(([, v], k) => [`:s${k}`, v])), ':at': at },
    };
  };
  const all = Object.entries(patch).filter(([, v]) => v !== undefined);
  const own = expression(all);
  const copy = expression(all.filter(([f]) => f !== 'address'));
  const r = await transactNamed({
    institution: {
      Update: {
        TableName: table(), Key: institutionKey(i.id), UpdateExpression: `${own.UpdateExpression.replace('updatedAt = :at', 'updatedAt = :at, evt = :evt')}`, ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: own.ExpressionAttributeNames, ExpressionAttributeValues: { ...own.values, ':evt': eventAttribute(event, new Date(at)).evt },
      },
    },
    counter: {
      Update: {
        TableName: table(), Key: counterKeys(i)[0]!, UpdateExpression: copy.UpdateExpression.replace('updatedAt = :at', 'infoUpdatedAt = :at'), ConditionExpression: 'attribute_exists(pk)',
        ...(Object.keys(copy.ExpressionAttributeNames).length && { ExpressionAttributeNames: copy.ExpressionAttributeNames }), ExpressionAttributeValues: copy.values,
      },
    },
  });
  if (r.ok) return true;
  if (r.failed.institution || r.failed.counter) return false;
  throw new Error(`institution change cancelled: ${r.codes}`);
}

/**
 * The tags an institution's beds carry: its counter's `tags` set, and (for counters written
 * before the set was kept) the tags of its `vacantTag:*` counts, which stay at 0 once created.
 * `stored` is the set's size as read, for the write's guard.
 */
export async function institutionTags(i: Pick<Institution, 'id' | 'county' | 'township'>): Promise<{ tags: Set<string>; stored: number | undefined }> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: counterKeys(i)[0], ConsistentRead: true }));
  const item = out.Item ?? {};
  const set = item.tags instanceof Set ? (item.tags as Set<string>) : undefined;
  const tags = new Set<string>(set);
  for (const k of Object.keys(item)) if (k.startsWith('vacantTag:')) tags.add(k.split(':').slice(2).join(':'));
  return { tags, stored: set?.size };
}

export type InsertBedsResult = { ok: true } | { ok: false; takenLabel: string } | { ok: false; tagsChanged: true };

export async function insertBeds(i: Institution, beds: Bed[], delta: Delta, log: BedLogEntry, event: DomainEvent, tags?: TagGuard): Promise<InsertBedsResult> {
  const items: TransactItem[] = beds.map((b) => ({
    Put: { TableName: table(), Item: { ...bedRecordKey(i.id, b.label), ...b }, ConditionExpression: 'attribute_not_exists(pk)' },
  }));
  // The event rides on the log entry: one event for the batch of beds.
  const logItem = logPut(i.id, log);
  Object.assign(logItem.Put!.Item!, eventAttribute(event, new Date(log.at)));
  const r = await transactNamed({ beds: items, counters: counterUpdates(i, delta, log.at, tags), log: logItem });
  if (r.ok) return r;
  const first = r.failures.find((x) => x.code === 'ConditionalCheckFailed');
  if (first?.name === 'beds') return { ok: false, takenLabel: beds[first.index]!.label };
  // The institution's counter (the first) follows the beds: its tag set changed since it was read.
  if (first?.name === 'counters' && first.index === 0) return { ok: false, tagsChanged: true };
  throw new Error(`adding beds cancelled: ${r.codes}`);
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

/**
 * A bed's update in a transaction: its status, occupant and `vacantSince` (set when an occupant
 * leaves, removed when one moves in), under `condition`.
 */
const bedUpdate = (b: Bed, set: { status: Bed['status']; occupant?: Bed['occupant']; vacantSince?: string }, at: string, condition: string, values: Record<string, unknown>, event?: DomainEvent): TransactItem => {
  const key = bedKey(b.id)!;
  const sets = ['#st = :status', 'updatedAt = :at', ...(set.occupant ? ['occupant = :occ'] : []), ...(set.vacantSince ? ['vacantSince = :vacantSince'] : []), ...(event ? ['evt = :evt'] : [])];
  const removes = set.occupant ? ['vacantSince'] : ['occupant'];
  return {
    Update: {
      TableName: table(),
      Key: { pk: key.pk, sk: key.sk },
      UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: {
        ':status': set.status, ':at': at,
        ...(set.occupant && { ':occ': set.occupant }),
        ...(set.vacantSince && { ':vacantSince': set.vacantSince }),
        ...(event && { ':evt': eventAttribute(event, new Date(at)).evt }),
        ...values,
      },
    },
  };
};

/** A vacant bed nobody left after `at`: an occupant can move in at `at` (ISO instants compare as strings). */
const VACANT_SINCE_BEFORE = '#st = :vacant AND (attribute_not_exists(vacantSince) OR vacantSince <= :movedIn)';

/**
 * The elder's residence guard written by an admission (here or through an offer): no bed now, and
 * not discharged after `r.since` (the guard outlives a discharge as `{leftAt}`). ALL_OLD on failure.
 */
export const residenceGuardPut = (r: Residence): TransactItem => withOld({
  Put: {
    TableName: table(),
    Item: { ...residenceKey(r.elderId), ...r },
    ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(bedId) AND leftAt <= :since)',
    ExpressionAttributeValues: { ':since': r.since },
  },
});

export type AdmitResult =
  | { ok: true }
  | { ok: false; reason: 'bed_not_vacant' }
  | { ok: false; reason: 'bed_vacated_later'; vacantSince: string }
  | { ok: false; reason: 'elder_admitted'; existing?: Residence }
  | { ok: false; reason: 'elder_left_later'; leftAt: string };

/**
 * Admits: the bed (vacant, and nobody left it after `r.since`), the elder's residence guard
 * (no bed now, and not discharged after `r.since`), the counters and the log, in one transaction.
 * The guard outlives a discharge as `{leftAt}` so a later admission can't be dated before it.
 */
export async function admit(i: Institution, b: Bed, r: Residence, delta: Delta, log: BedLogEntry, event: DomainEvent): Promise<AdmitResult> {
  const out = await transactNamed({
    bed: withOld(bedUpdate(b, { status: 'occupied', occupant: { elderId: r.elderId, since: r.since } }, log.at, VACANT_SINCE_BEFORE, { ':vacant': 'vacant', ':movedIn': r.since }, event)),
    guard: residenceGuardPut(r),
    counters: counterUpdates(i, delta, log.at),
    log: logPut(i.id, log),
  });
  if (out.ok) return out;
  const { bed, guard } = out.failed;
  if (guard?.code === 'ConditionalCheckFailed') {
    if (guard.item?.bedId !== undefined) return { ok: false, reason: 'elder_admitted', existing: strip<Residence>(guard.item) };
    return { ok: false, reason: 'elder_left_later', leftAt: String(guard.item?.leftAt) };
  }
  if (bed?.code === 'ConditionalCheckFailed') {
    if (bed.item?.status === 'vacant' && bed.item.vacantSince !== undefined) return { ok: false, reason: 'bed_vacated_later', vacantSince: String(bed.item.vacantSince) };
    return { ok: false, reason: 'bed_not_vacant' };
  }
  throw new Error(`admission cancelled: ${out.codes}`);
}

/** The elder's bed now, if any (the guard left by a discharge holds only `leftAt`). */
export async function getResidence(elderId: string): Promise<Residence | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: residenceKey(elderId) }));
  return out.Item?.bedId === undefined ? undefined : strip<Residence>(out.Item);
}

/**
 * Discharges `r` at `dischargedAt` (ISO): the bed becomes vacant since then, the guard keeps
 * only `leftAt`; conditioned on the residence being exactly `r` (same bed, same `since`), so a
 * transfer racing the discharge can't be discharged from the wrong bed or date.
 */
export async function discharge(i: Institution, b: Bed, r: Residence, dischargedAt: string, delta: Delta, log: BedLogEntry, event: DomainEvent): Promise<boolean> {
  const out = await transact([
    bedUpdate(b, { status: 'vacant', vacantSince: dischargedAt }, log.at, 'occupant.elderId = :elder', { ':elder': r.elderId }, event),
    {
      Put: {
        TableName: table(),
        Item: { ...residenceKey(r.elderId), elderId: r.elderId, county: r.county, leftAt: dischargedAt, leftBedId: b.id },
        ConditionExpression: 'bedId = :bed AND since = :since',
        ExpressionAttributeValues: { ':bed': b.id, ':since': r.since },
      },
    },
    ...counterUpdates(i, delta, log.at),
    logPut(i.id, log),
  ]);
  return out.ok;
}

export type TransferResult = { ok: true } | { ok: false; reason: 'moved' | 'target_not_vacant' } | { ok: false; reason: 'target_vacated_later'; vacantSince: string };

/** Moves `r` to bed `to` at `movedAt` (ISO), conditioned like `discharge` and like an admission into `to`. */
export async function transfer(i: Institution, from: Bed, to: Bed, r: Residence, movedAt: string, delta: Delta, log: BedLogEntry, event: DomainEvent): Promise<TransferResult> {
  const out = await transactNamed({
    from: bedUpdate(from, { status: 'vacant', vacantSince: movedAt }, log.at, 'occupant.elderId = :elder', { ':elder': r.elderId }),
    target: withOld(bedUpdate(to, { status: 'occupied', occupant: { elderId: r.elderId, since: movedAt } }, log.at, VACANT_SINCE_BEFORE, { ':vacant': 'vacant', ':movedIn': movedAt }, event)),
    residence: {
      Update: {
        TableName: table(),
        Key: residenceKey(r.elderId),
        UpdateExpression: 'SET bedId = :to, bedLabel = :label, since = :movedAt',
        ConditionExpression: 'bedId = :from AND since = :was',
        ExpressionAttributeValues: { ':to': to.id, ':label': to.label, ':movedAt': movedAt, ':from': from.id, ':was': r.since },
      },
    },
    counters: counterUpdates(i, delta, log.at),
    log: logPut(i.id, log),
  });
  if (out.ok) return out;
  const target = out.failed.target;
  if (target?.code === 'ConditionalCheckFailed') {
    if (target.item?.status === 'vacant' && target.item.vacantSince !== undefined) return { ok: false, reason: 'target_vacated_later', vacantSince: String(target.item.vacantSince) };
    return { ok: false, reason: 'target_not_vacant' };
  }
  return { ok: false, reason: 'moved' };
}

export async function setStatus(i: Institution, b: Bed, status: Bed['status'], delta: Delta, log: BedLogEntry, event: DomainEvent): Promise<boolean> {
  const out = await transact([
    // A bed held for an offer changes only through the offer (offers-store.ts).
    bedUpdate(b, { status }, log.at, '#st = :was AND attribute_not_exists(offerId)', { ':was': b.status }, event),
    ...counterUpdates(i, delta, log.at),
    logPut(i.id, log),
  ]);
  return out.ok;
}

// ---- home care beds

export type OpenHomeCareResult = { ok: true } | { ok: false; reason: 'exists' } | { ok: false; reason: 'closed_later'; closedAt: string };

/**
 * Opens a home care bed: the elder's guard (no open one, and the last one closed on or before
 * `h.startedAt`: the guard outlives a close as `{closedAt}`), the bed, the counters. `now` is the
 * request's clock (the counters' `updatedAt`), so a test's or a replay's time is the one recorded.
 */
export async function openHomeCare(i: Institution, h: HomeCareBed, delta: Delta, event: DomainEvent, now: Date): Promise<OpenHomeCareResult> {
  const out = await transactNamed({
    guard: withOld({
      Put: {
        TableName: table(),
        Item: { ...homeCareGuardKey(h.elderId), id: h.id },
        ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(id) AND closedAt <= :started)',
        ExpressionAttributeValues: { ':started': h.startedAt },
      },
    }),
    bed: { Put: { TableName: table(), Item: { ...homeCareKey(h.id), ...h, ...eventAttribute(event) }, ConditionExpression: 'attribute_not_exists(pk)' } },
    counters: counterUpdates(i, delta, now.toISOString()),
  });
  if (out.ok) return out;
  const guard = out.failed.guard;
  if (guard?.code === 'ConditionalCheckFailed') {
    if (guard.item?.id !== undefined) return { ok: false, reason: 'exists' };
    return { ok: false, reason: 'closed_later', closedAt: String(guard.item?.closedAt) };
  }
  throw new Error(`home care bed cancelled: ${out.codes}`);
}

export async function getHomeCare(id: string): Promise<HomeCareBed | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: homeCareKey(id) }));
  return strip<HomeCareBed>(out.Item);
}

/** Closes a home care bed on `closedAt` (conditioned on it being open and started on or before then); the elder's guard keeps `closedAt`. */
export async function closeHomeCare(i: Institution, h: HomeCareBed, closedAt: string, delta: Delta, event: DomainEvent, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const out = await transact([
    {
      Update: {
        TableName: table(),
        Key: homeCareKey(h.id),
        UpdateExpression: 'SET #st = :closed, closedAt = :c, evt = :evt',
        ConditionExpression: '#st = :open AND startedAt <= :c',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':c': closedAt, ':evt': eventAttribute(event).evt },
      },
    },
    {
      Put: {
        TableName: table(),
        Item: { ...homeCareGuardKey(h.elderId), closedAt, lastId: h.id },
        ConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': h.id },
      },
    },
    ...counterUpdates(i, delta, at),
  ]);
  return out.ok;
}

// ---- counters and history

export async function countersOf(county: string): Promise<Record<string, unknown>[]> {
  return queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `COUNTERS#${county}` } });
}

export async function putHistory(county: string, date: string, scope: string, counts: Record<string, unknown>): Promise<void> {
  await db().send(new PutCommand({ TableName: table(), Item: { ...historyKey(county, date, scope), date, scope, ...counts } }));
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
