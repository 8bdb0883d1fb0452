import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { writtenIf } from '../lib/conditional.js';
import { db, queryAll, strip } from '../lib/dynamo.js';
import { transactNamed, withOld } from '../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../events/outbox.js';
import type { AdmissionPolicyVersion, BedApplication } from './domain/applications.js';

/**
 * Data access for care-bed applications and the admission policy, in the Beds table (they
 * belong with the beds: the offers to come hold a bed and admit into it in one transaction,
 * which DynamoDB allows only within one Region's tables, and the beds function already owns
 * this table; one table keeps that future transaction simple).
 *
 * | record                         | pk                   | sk                 |
 * |--------------------------------|----------------------|--------------------|
 * | admission policy version       | ADMPOLICY#<county>   | <effectiveFrom>    |
 * | application (any status)       | APP#<id>             | APP                |
 * | queue entry (open application) | QUEUE#<county>       | APP#<id>           |
 * | elder's application guard      | ELDER#<elderId>      | APPLICATION (openId while one is open; lastId) |
 *
 * Access patterns and their cost:
 * - policy in force on a date: Query ADMPOLICY#<county>, sk <= date, newest first, limit 1
 * - file: one transaction of three writes: the guard (condition: no openId: one open
 *   application per elder in the county, whatever races), the application and its queue
 *   entry (a copy: what ordering and the list show). Items are under 1 KB: 3 writes x 2
 *   (transactional) = 6 write units per application, plus the outbox stream (free).
 * - withdraw: one transaction of three writes: the application (condition: still open), the
 *   queue entry deleted, the guard's openId removed (condition: it is this application):
 *   6 write units.
 * - one application: GetItem APP#<id>
 * - an elder's application (open, else the latest): GetItem of the guard, then of the
 *   application it names: two reads whatever the county holds
 * - the queue (county pooled, or one institution's part of it): Query QUEUE#<county> (every
 *   open application of the county, about 0.5 KB each: 0.125 read units per application
 *   read), ordered in memory by the policy, because a class depends on the policy version in
 *   force and the elder's age on the day, so no stored sort key can hold the order. A county
 *   of 10,000 open applications reads ~5 MB (about 1,250 read units, eventually consistent:
 *   half). Reading one institution's queue at a cost that does not grow with the county
 *   (the measure) needs per-institution entries re-keyed on a policy change: left for
 *   the offers slice.
 */
const table = () => config.tableName('beds');

const policyPk = (county: string) => `ADMPOLICY#${county}`;
const applicationKey = (id: string) => ({ pk: `APP#${id}`, sk: 'APP' });
const queueKey = (county: string, id: string) => ({ pk: `QUEUE#${county}`, sk: `APP#${id}` });
const guardKey = (elderId: string) => ({ pk: `ELDER#${elderId}`, sk: 'APPLICATION' });

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
    queue: { Put: { TableName: table(), Item: { ...queueKey(a.county, a.id), ...a } } },
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

/** Every open application of the county (its queue entries), unordered. */
export async function openApplications(county: string): Promise<BedApplication[]> {
  const items = await queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `QUEUE#${county}` } });
  return items.map((i) => strip<BedApplication>(i)!);
}

/**
 * Withdraws: the application (still open), its queue entry deleted, the elder's guard freed
 * (if it names this application). False when the application was closed meanwhile.
 */
export async function withdrawApplication(a: BedApplication, withdrawnAt: string, event: DomainEvent): Promise<boolean> {
  const r = await transactNamed({
    application: {
      Update: {
        TableName: table(),
        Key: applicationKey(a.id),
        UpdateExpression: 'SET #st = :withdrawn, withdrawnAt = :at, evt = :evt',
        ConditionExpression: '#st IN (:waiting, :offered)',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':withdrawn': 'withdrawn', ':at': withdrawnAt, ':waiting': 'waiting', ':offered': 'offered', ':evt': eventAttribute(event, new Date(withdrawnAt)).evt },
      },
    },
    queue: { Delete: { TableName: table(), Key: queueKey(a.county, a.id) } },
    guard: {
      Update: {
        TableName: table(),
        Key: guardKey(a.elderId),
        UpdateExpression: 'REMOVE openId',
        ConditionExpression: 'openId = :id',
        ExpressionAttributeValues: { ':id': a.id },
      },
    },
  });
  if (r.ok) return true;
  if (r.failed.application) return false;
  throw new Error(`withdrawal cancelled: ${r.codes}`);
}
