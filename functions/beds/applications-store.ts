import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { writtenIf } from '../lib/conditional.js';
import { db, queryAll, strip } from '../lib/dynamo.js';
import { type TransactItem, transactNamed, withOld } from '../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../events/outbox.js';
import type { AdmissionPolicyVersion, BedApplication } from './domain/applications.js';

/**
 * Data access for care-bed applications and the admission policy, in the Beds table (they
 * belong with the beds: an offer holds a bed and its acceptance admits into it in one
 * transaction, which DynamoDB allows only within one Region's tables; offers-store.ts writes
 * those transactions with the keys exported here).
 *
 * | record                          | pk                               | sk                 |
 * |---------------------------------|----------------------------------|--------------------|
 * | admission policy version        | ADMPOLICY#<county>               | <effectiveFrom>    |
 * | application (any status)        | APP#<id>                         | APP                |
 * | queue entry, county pool        | QUEUE#<county>                   | APP#<id>           |
 * | queue entry, its scope          | QUEUE#<county>#INST#<instId> (one per preferred institution), else QUEUE#<county>#TOWN#<township>, else QUEUE#<county>#ANY | APP#<id> |
 * | elder's application guard       | ELDER#<elderId>                  | APPLICATION (openId while one is open; lastId) |
 *
 * Queue entries are copies of the open application (what ordering and the list show); every
 * write that changes an open application changes all its entries in the same transaction.
 *
 * Access patterns and their cost:
 * - policy in force on a date: Query ADMPOLICY#<county>, sk <= date, newest first, limit 1
 * - file: one transaction: the guard (condition: no openId: one open application per elder in
 *   the county, whatever races), the application and its entries (county pool + 1 scope entry,
 *   or 1 per preferred institution). Items are under 1 KB: 4 writes x 2 (transactional) = 8
 *   write units for an application with no or one preferred institution, plus the outbox
 *   stream (free).
 * - withdraw: one transaction: the application (condition: the status read), its entries
 *   deleted, the guard's openId removed; with an open offer, the offer and its bed released
 *   (offers-store.ts): 8 write units, 20 with an offer.
 * - one application: GetItem APP#<id>
 * - the county's pooled queue: Query QUEUE#<county> (every open application of the county,
 *   about 0.5 KB each), ordered in memory by the policy: a class depends on the policy version
 *   in force and the elder's age on the day, so no stored sort key can hold the order.
 * - one institution's queue: three Queries (its INST entries, its township's TOWN entries, the
 *   ANY entries): the applications that can go to it, and no others. Its cost follows that
 *   institution's queue, not the county's: 10 or 10,000 applications elsewhere in the county
 *   cost it nothing (bench/waiting-list.ts measures it).
 * - an elder's application (open, else the latest): GetItem of the guard, then of the
 *   application it names: two reads whatever the county holds
 */
const table = () => config.tableName('beds');

const policyPk = (county: string) => `ADMPOLICY#${county}`;
export const applicationKey = (id: string) => ({ pk: `APP#${id}`, sk: 'APP' });
export const guardKey = (elderId: string) => ({ pk: `ELDER#${elderId}`, sk: 'APPLICATION' });

/** The partition of an application's scope entries: its preferred institutions', else its township's, else the county's ANY. */
const scopePks = (a: Pick<BedApplication, 'county' | 'institutionIds' | 'township'>): string[] =>
  a.institutionIds?.length ? a.institutionIds.map((i) => `QUEUE#${a.county}#INST#${i}`) : [a.township ? `QUEUE#${a.county}#TOWN#${a.township}` : `QUEUE#${a.county}#ANY`];

/** Every queue entry key of an application: the county pool's and its scope's (see the header). */
export const queueKeys = (a: Pick<BedApplication, 'id' | 'county' | 'institutionIds' | 'township'>) => [`QUEUE#${a.county}`, ...scopePks(a)].map((pk) => ({ pk, sk: `APP#${a.id}` }));

/** The partitions that hold one institution's queue (domain/applications.ts inQueueOf says the same). */
export const institutionQueuePks = (county: string, i: { id: string; township: string }) => [`QUEUE#${county}#INST#${i.id}`, `QUEUE#${county}#TOWN#${i.township}`, `QUEUE#${county}#ANY`];

/**
 * A change of an open application, written to the application (under `condition`) and to each
 * of its queue entries (which exist while it is open) in one transaction's items.
 */
export function applicationChange(a: BedApplication, change: { set: string; remove?: string; condition: string; names?: Record<string, string>; values: Record<string, unknown>; conditionValues: Record<string, unknown> }, evt?: Record<string, unknown>): { application: TransactItem; entries: TransactItem[] } {
  // DynamoDB refuses values an expression does not use: the condition's go to the application only.
  const update = (key: { pk: string; sk: string }, condition: string, withEvent: boolean): TransactItem => ({
    Update: {
      TableName: table(),
      Key: key,
      UpdateExpression: `SET ${change.set}${withEvent && evt ? ', evt = :evt' : ''}${change.remove ? ` REMOVE ${change.remove}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#st': 'status', ...change.names },
      ExpressionAttributeValues: { ...change.values, ...(withEvent && { ...change.conditionValues, ...(evt && { ':evt': evt }) }) },
    },
  });
  return {
    application: update(applicationKey(a.id), change.condition, true),
    // The entries carry the same fields but no event (one event per change) and no condition
    // of their own: the application's condition decides.
    entries: queueKeys(a).map((k) => update(k, 'attribute_exists(pk)', false)),
  };
}

/**
 * Puts a policy version. `replace: false` (a version effective today or earlier) puts it only
 * if no version has that date yet (one that may have ordered a queue is never overwritten).
 * False when that condition failed.
 */
export async function putPolicy(p: AdmissionPolicyVersion, event: DomainEvent, opts: { replace: boolean }): Promise<boolean> {
  return writtenIf(new PutCommand({
    TableName: table(),
    Item: { pk: policyPk(p.county), sk: p.effectiveFrom, ...p, ...eventAttribute(event) },
    ...(!opts.replace && { ConditionExpression: 'attribute_not_exists(pk)' }),
  }));
}

/** The version in force on `date` (CST): the latest with effectiveFrom <= date. */
export async function policyInForce(county: string, date: string): Promise<AdmissionPolicyVersion | undefined> {
  const out = await db().send(new QueryCommand({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND sk <= :d',
    ExpressionAttributeValues: { ':pk': policyPk(county), ':d': date },
    ScanIndexForward: false,
    Limit: 1,
  }));
  return strip<AdmissionPolicyVersion>(out.Items?.[0]);
}

export type FileResult = { ok: true } | { ok: false; openId: string };

/** Files an application: guard, application and queue entry in one transaction (see the header). */
export async function fileApplication(a: BedApplication, event: DomainEvent): Promise<FileResult> {
  const r = await transactNamed({
    guard: withOld({
      Update: {
        TableName: table(),
        Key: guardKey(a.elderId),
        UpdateExpression: 'SET openId = :id, lastId = :id, county = :county',
        ConditionExpression: 'attribute_not_exists(openId)',
        ExpressionAttributeValues: { ':id': a.id, ':county': a.county },
      },
    }),
    application: { Put: { TableName: table(), Item: { ...applicationKey(a.id), ...a, ...eventAttribute(event) }, ConditionExpression: 'attribute_not_exists(pk)' } },
    entries: queueKeys(a).map((k) => ({ Put: { TableName: table(), Item: { ...k, ...a } } })),
  });
  if (r.ok) return r;
  const open = r.failed.guard?.item?.openId;
  if (typeof open === 'string') return { ok: false, openId: open };
  throw new Error(`application write cancelled: ${r.codes}`);
}

export async function getApplication(id: string): Promise<BedApplication | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: applicationKey(id) }));
  return strip<BedApplication>(out.Item);
}

/**
 * The id of the elder's open application, else of the last one filed (the guard keeps
 * `lastId` after a withdrawal); undefined when none was ever filed.
 */
export async function elderApplicationId(elderId: string): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: guardKey(elderId), ProjectionExpression: 'openId, lastId' }));
  const id = out.Item?.openId ?? out.Item?.lastId;
  return typeof id === 'string' ? id : undefined;
}

/** Every open application of the county (its pooled queue's entries), unordered. */
export async function openApplications(county: string, consistent = false): Promise<BedApplication[]> {
  const items = await queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `QUEUE#${county}` }, ...(consistent && { ConsistentRead: true }) });
  return items.map((i) => strip<BedApplication>(i)!);
}

/** The open applications in one institution's queue (three scope partitions), unordered. */
export async function institutionApplications(county: string, institution: { id: string; township: string }, consistent = false): Promise<BedApplication[]> {
  const parts = await Promise.all(institutionQueuePks(county, institution).map((pk) => queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ...(consistent && { ConsistentRead: true }) })));
  return parts.flat().map((i) => strip<BedApplication>(i)!);
}

/**
 * Withdraws: the application (still in the status it was read in: waiting, or offered with the
 * same offer), its entries deleted, the elder's guard freed (if it names this application), and
 * `release`: the open offer's items (offers-store.ts heldOfferRelease) when it was offered.
 * False when the application changed meanwhile (the caller reads it again).
 */
export async function withdrawApplication(a: BedApplication, withdrawnAt: string, event: DomainEvent, release?: Record<string, TransactItem | TransactItem[]>): Promise<boolean> {
  const offered = a.status === 'offered';
  const r = await transactNamed({
    application: {
      Update: {
        TableName: table(),
        Key: applicationKey(a.id),
        UpdateExpression: 'SET #st = :withdrawn, withdrawnAt = :at, evt = :evt REMOVE offerId',
        ConditionExpression: offered ? '#st = :offered AND offerId = :offer' : '#st = :waiting',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':withdrawn': 'withdrawn', ':at': withdrawnAt, ...(offered ? { ':offered': 'offered', ':offer': a.offerId } : { ':waiting': 'waiting' }), ':evt': eventAttribute(event, new Date(withdrawnAt)).evt },
      },
    },
    entries: queueKeys(a).map((k) => ({ Delete: { TableName: table(), Key: k } })),
    guard: {
      Update: {
        TableName: table(),
        Key: guardKey(a.elderId),
        UpdateExpression: 'REMOVE openId',
        ConditionExpression: 'openId = :id',
        ExpressionAttributeValues: { ':id': a.id },
      },
    },
    ...release,
  });
  if (r.ok) return true;
  if (r.failed.application) return false;
  throw new Error(`withdrawal cancelled: ${r.codes}`);
}
