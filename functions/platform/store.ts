import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { batchGetAll, db } from '../lib/dynamo.js';
import { conditionally, writtenIf } from '../lib/conditional.js';
import { type TransactItem, transactNamed } from '../lib/transact.js';
import type { Delivery, LedgerEvent, StoredEvent } from './domain/ledger.js';

/**
 * Data access for the Platform table.
 *
 * | record                       | pk                         | sk        | feed index (feedpk, seq) |
 * |------------------------------|----------------------------|-----------|--------------------------|
 * | outbound event + delivery    | EVENT#<eventId>            | EVENT     | FEED#<county>, <seq>     |
 * | a county's feed head         | FEEDHEAD#<county>          | HEAD      |                          |
 * | reconciliation counts        | RECON#<county>             | <date>    |                          |
 * | dead letter (parked event)   | DEAD#<county>              | <seq, 12 digits> |                   |
 * | entity held behind a parked event | BLOCK#<county>#<entity> | BLOCK |                         |
 * | delivery receipts: the seqs of 100 events delivered | DELIVERED#<county> | <seq div 100, 12 digits> |   |
 * | webhook received (30 days)   | WEBHOOK#<id>               | RECEIVED  |                          |
 *
 * Access patterns:
 * - ledger a chunk of events (relay): one transaction: the feed head moves from n to n+k
 *   (conditioned on n), k event puts (each conditioned on its id being new) and the day's
 *   reconciliation counts. Sequence numbers are therefore dense: event n+1 exists only if
 *   event n does, which is what lets the feed detect a gap and wait instead of skipping.
 * - which of these events are ledgered already (relay retry): BatchGet by event id
 * - an event to deliver, and its entity's block: one BatchGet (strongly consistent)
 * - record a failed attempt, or the success that follows failures: UpdateItem on the event (no
 *   index write)
 * - record deliveries (every one, first attempts included): one UpdateItem per county and
 *   receipt per deliverer batch, ADDing the delivered seqs to the receipt's number set. A receipt
 *   covers 100 consecutive seqs, so it stays under 1 KB (1 write unit, no index: it has no feedpk)
 *   and a batch of 10 usually touches one: about 0.1 write unit per event instead of 1
 * - was an event delivered: its own state says so after failures; otherwise its seq is in its
 *   receipt (BatchGet of the receipts)
 * - park / list / replay dead letters: DEAD#<county> in sequence order, a page at a time
 *   (Limit = page + 1, so `more` is exact)
 * - the feed: Query the feed index FEED#<county> with seq > cursor
 * - reconciliation: GetItem RECON#<county>/<date>
 * - a webhook received: claim its id with the body's digest (conditional Put: new, or a lapsed
 *   claim of the same body), apply, mark it done (UpdateItem); on failure give the claim back
 *   (conditional Delete). Kept 30 days (TTL). Same id and body again: duplicate; other body: 409
 */
const table = () => config.tableName('platform');
const KEEP_WEBHOOK_DAYS = 30;
const pad = (seq: number) => String(seq).padStart(12, '0');
const eventKey = (id: string) => ({ pk: `EVENT#${id}`, sk: 'EVENT' });
const blockKey = (county: string, entity: string) => ({ pk: `BLOCK#${county}#${entity}`, sk: 'BLOCK' });

// ---- ledger

export async function ledgeredEvents(ids: readonly string[]): Promise<Map<string, StoredEvent>> {
  const items = await batchGetAll(table(), ids.map(eventKey), { consistent: true });
  return new Map(items.map((item) => [String(item.id), toStored(item)]));
}

export async function feedHead(county: string): Promise<number> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `FEEDHEAD#${county}`, sk: 'HEAD' }, ConsistentRead: true }));
  return Number(out.Item?.seq ?? 0);
}

export type AppendResult = { ok: true; stored: StoredEvent[] } | { ok: false; reason: 'head_moved' } | { ok: false; reason: 'already_ledgered'; ids: string[] };

/**
 * Appends events of one county after `head` in one transaction (at most 95 events, so that
 * head and counts fit in DynamoDB's 100 items). `counts` are the reconciliation increments per
 * day and type for these events.
 */
export async function appendEvents(county: string, head: number, events: readonly LedgerEvent[], counts: ReadonlyMap<string, ReadonlyMap<string, number>>, now: Date): Promise<AppendResult> {
  const stored: StoredEvent[] = events.map((e, i) => ({ ...e, seq: head + i + 1, delivery: { status: 'pending', attempts: 0 } }));
  const r = await transactNamed({
    head: {
      Update: {
        TableName: table(),
        Key: { pk: `FEEDHEAD#${county}`, sk: 'HEAD' },
        UpdateExpression: 'SET seq = :to, updatedAt = :at',
        ConditionExpression: head === 0 ? 'attribute_not_exists(pk)' : 'seq = :from',
        ExpressionAttributeValues: { ':to': head + events.length, ':at': now.toISOString(), ...(head !== 0 && { ':from': head }) },
      },
    },
    events: stored.map((e): TransactItem => ({
      Put: { TableName: table(), Item: { ...eventKey(e.id), feedpk: `FEED#${county}`, ...e }, ConditionExpression: 'attribute_not_exists(pk)' },
    })),
    counts: [...counts].map(([date, byType]): TransactItem => {
      const types = [...byType];
      return {
        Update: {
          TableName: table(),
          Key: { pk: `RECON#${county}`, sk: date },
          UpdateExpression: `SET updatedAt = :at ADD #total :total, ${types.map((_, i) => `#t${i} :n${i}`).join(', ')}`,
          ExpressionAttributeNames: { '#total': 'total', ...Object.fromEntries(types.map(([type], i) => [`#t${i}`, `n_${type}`])) },
          ExpressionAttributeValues: { ':at': now.toISOString(), ':total': types.reduce((a, [, n]) => a + n, 0), ...Object.fromEntries(types.map(([, n], i) => [`:n${i}`, n])) },
        },
      };
    }),
  });
  if (r.ok) return { ok: true, stored };
  if (r.failed.head?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'head_moved' };
  const taken = r.failures.flatMap((x) => (x.name === 'events' && x.code === 'ConditionalCheckFailed' ? [events[x.index]!.id] : []));
  if (taken.length) return { ok: false, reason: 'already_ledgered', ids: taken };
  throw new Error(`appending events cancelled: ${r.codes}`);
}

function toStored(item: Record<string, unknown>): StoredEvent {
  const { pk: _pk, sk: _sk, feedpk: _f, ...rest } = item;
  return rest as unknown as StoredEvent;
}

/** The event and, in the same strongly consistent read, the block on its entity if any. */
export async function eventForDelivery(ref: { eventId: string; county: string; entity: string }): Promise<{ event?: StoredEvent; blockedBy?: { eventId: string; seq: number } }> {
  const items = await batchGetAll(table(), [eventKey(ref.eventId), blockKey(ref.county, ref.entity)], { consistent: true });
  const event = items.find((i) => i.sk === 'EVENT');
  const block = items.find((i) => i.sk === 'BLOCK');
  return { ...(event && { event: toStored(event) }), ...(block && { blockedBy: { eventId: String(block.eventId), seq: Number(block.seq) } }) };
}

/** Events per delivery receipt: 100 seqs of at most 7 bytes each keep an item under 1 KB. */
export const RECEIPT_SPAN = 100;
const receiptKey = (county: string, bucket: number) => ({ pk: `DELIVERED#${county}`, sk: pad(bucket) });

/**
 * Records delivered events (a deliverer batch's) in their county's receipts: one UpdateItem per
 * receipt touched, adding the seqs to its number set. Idempotent: a set holds a seq once.
 */
export async function recordDelivered(county: string, seqs: readonly number[]): Promise<void> {
  const byReceipt = new Map<number, number[]>();
  for (const seq of seqs) {
    const bucket = Math.floor(seq / RECEIPT_SPAN);
    byReceipt.set(bucket, [...(byReceipt.get(bucket) ?? []), seq]);
  }
  await Promise.all([...byReceipt].map(([bucket, list]) => db().send(new UpdateCommand({
    TableName: table(), Key: receiptKey(county, bucket), UpdateExpression: 'ADD seqs :s', ExpressionAttributeValues: { ':s': new Set(list) },
  }))));
}

/** Which of these seqs of the county the receipts show delivered. */
export async function deliveredSeqs(county: string, seqs: readonly number[]): Promise<Set<number>> {
  const buckets = [...new Set(seqs.map((s) => Math.floor(s / RECEIPT_SPAN)))];
  const items = await batchGetAll(table(), buckets.map((b) => receiptKey(county, b)), { consistent: true });
  const delivered = new Set<number>();
  for (const item of items) for (const seq of (item.seqs as Set<number> | undefined) ?? []) delivered.add(Number(seq));
  return new Set(seqs.filter((s) => delivered.has(s)));
}

export async function recordDelivery(id: string, delivery: Delivery): Promise<void> {
  await db().send(new UpdateCommand({ TableName: table(), Key: eventKey(id), UpdateExpression: 'SET delivery = :d', ExpressionAttributeValues: { ':d': delivery } }));
}

/**
 * The event delivered: record it, lift the block it headed (if it did), and take it off the
 * dead-letter list if a replay left it there (a replay whose unpark did not complete).
 */
export async function markDelivered(e: StoredEvent, delivery: Delivery, was: { parked: boolean; headOfBlock: boolean }): Promise<void> {
  await recordDelivery(e.id, delivery);
  if (was.parked) await db().send(new DeleteCommand({ TableName: table(), Key: { pk: `DEAD#${e.county}`, sk: pad(e.seq) } }));
  // Only when the read showed this event heading the block: a failed conditional delete
  // would still cost a write unit on every delivery.
  if (!was.headOfBlock) return;
  // Another event heads the block now (it was lifted and set again): that one is not ours to lift.
  await writtenIf(new DeleteCommand({ TableName: table(), Key: blockKey(e.county, e.entity), ConditionExpression: 'eventId = :id', ExpressionAttributeValues: { ':id': e.id } }));
}

export interface DeadLetter {
  readonly eventId: string;
  readonly seq: number;
  readonly type: string;
  readonly entity: string;
  readonly occurredAt: string;
  readonly parkedAt: string;
  readonly reason: 'attempts_exhausted' | 'behind_parked_event';
  readonly attempts: number;
  readonly lastError?: string;
  readonly behind?: string;
}

/**
 * Parks an event: its delivery state, a dead letter, and (unless one exists) a block on its
 * entity headed by it, so later events of the entity park behind it instead of overtaking.
 */
export async function park(e: StoredEvent, delivery: Delivery, dead: DeadLetter): Promise<void> {
  const r = await transactNamed({
    delivery: { Update: { TableName: table(), Key: eventKey(e.id), UpdateExpression: 'SET delivery = :d', ExpressionAttributeValues: { ':d': delivery } } },
    dead: { Put: { TableName: table(), Item: { pk: `DEAD#${e.county}`, sk: pad(e.seq), county: e.county, ...dead } } },
  });
  if (!r.ok) throw new Error(`parking cancelled: ${r.codes}`);
  // An existing block keeps its head: this event parks behind it.
  await writtenIf(new PutCommand({ TableName: table(), Item: { ...blockKey(e.county, e.entity), eventId: e.id, seq: e.seq, since: dead.parkedAt }, ConditionExpression: 'attribute_not_exists(pk)' }));
}

/**
 * Dead letters after a sequence number, oldest first. Reads `limit + 1` so `more` is exact:
 * a walk never ends on an empty page.
 */
export async function deadLetters(county: string, limit: number, afterSeq?: number): Promise<{ items: DeadLetter[]; more: boolean }> {
  const out = await db().send(new QueryCommand({
    TableName: table(),
    KeyConditionExpression: afterSeq === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after',
    ExpressionAttributeValues: { ':pk': `DEAD#${county}`, ...(afterSeq !== undefined && { ':after': pad(afterSeq) }) },
    Limit: limit + 1,
    ConsistentRead: true,
  }));
  const items = (out.Items ?? []).slice(0, limit).map(({ pk: _pk, sk: _sk, county: _c, ...rest }) => rest as unknown as DeadLetter);
  return { items, more: (out.Items ?? []).length > limit };
}

/**
 * Takes a dead letter off the list, marking its event pending again (a replay). Does nothing
 * if the event is no longer parked: the deliverer was quicker and delivered it already.
 */
export async function unpark(county: string, seq: number, id: string, delivery: Delivery): Promise<void> {
  const r = await transactNamed({
    dead: { Delete: { TableName: table(), Key: { pk: `DEAD#${county}`, sk: pad(seq) } } },
    delivery: {
      Update: {
        TableName: table(), Key: eventKey(id), UpdateExpression: 'SET delivery = :d', ConditionExpression: 'delivery.#s = :parked',
        ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':d': delivery, ':parked': 'parked' },
      },
    },
  });
  if (!r.ok && r.failed.delivery?.code !== 'ConditionalCheckFailed') throw new Error(`unpark cancelled: ${r.codes}`);
}

// ---- feed and reconciliation

/** Events after `afterSeq` from the feed index, in order. The index is eventually consistent. */
export async function feedAfter(county: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
  const out = await db().send(new QueryCommand({
    TableName: table(),
    IndexName: 'feed',
    KeyConditionExpression: 'feedpk = :pk AND seq > :after',
    ExpressionAttributeValues: { ':pk': `FEED#${county}`, ':after': afterSeq },
    Limit: limit,
  }));
  return (out.Items ?? []).map(toStored);
}

export async function reconciliation(county: string, date: string): Promise<{ total: number; byType: Record<string, number> }> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `RECON#${county}`, sk: date } }));
  const byType: Record<string, number> = {};
  for (const [k, v] of Object.entries(out.Item ?? {})) if (k.startsWith('n_')) byType[k.slice(2)] = Number(v);
  return { total: Number(out.Item?.total ?? 0), byType };
}

// ---- inbound webhooks

/** How long a webhook being applied holds its id: longer than the function's timeout (10 s). */
const WEBHOOK_LEASE_MS = 60_000;

export type WebhookClaim = { ok: true } | { ok: false; state: 'processing' | 'done'; digest?: string };

/**
 * Claims a webhook-id for a body (`digest`, see `contentDigest`) before it is applied: a
 * conditional Put, so of two deliveries racing on one id only one applies it. The claim can be
 * taken over, with the same body only, once its lease has run out (a function that died while
 * applying). When the id is already held, answers the holder's state and body digest (records
 * written before digests were kept have none).
 */
export async function claimWebhook(id: string, digest: string, now: Date): Promise<WebhookClaim> {
  return conditionally(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: `WEBHOOK#${id}`, sk: 'RECEIVED', digest, state: 'processing',
        leaseUntil: new Date(now.getTime() + WEBHOOK_LEASE_MS).toISOString(), receivedAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + KEEP_WEBHOOK_DAYS * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR (#state = :processing AND leaseUntil < :now AND digest = :digest)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':processing': 'processing', ':now': now.toISOString(), ':digest': digest },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
    (old = {}): WebhookClaim => ({ ok: false, state: old.state === 'processing' ? 'processing' : 'done', ...(typeof old.digest === 'string' && { digest: old.digest }) }),
  );
}

/** Marks a claimed webhook applied, with its type and outcome (kept 30 days). */
export async function completeWebhook(id: string, digest: string, type: string, outcome: string): Promise<void> {
  await db().send(new UpdateCommand({
    TableName: table(),
    Key: { pk: `WEBHOOK#${id}`, sk: 'RECEIVED' },
    UpdateExpression: 'SET #state = :done, #type = :type, outcome = :outcome REMOVE leaseUntil',
    ConditionExpression: 'digest = :digest',
    ExpressionAttributeNames: { '#state': 'state', '#type': 'type' },
    ExpressionAttributeValues: { ':done': 'done', ':type': type, ':outcome': outcome, ':digest': digest },
  }));
}

/** Gives a claim back after applying failed, so the platform's retry applies it; a lost race is no error. */
export async function releaseWebhook(id: string, digest: string): Promise<void> {
  await writtenIf(new DeleteCommand({
    TableName: table(),
    Key: { pk: `WEBHOOK#${id}`, sk: 'RECEIVED' },
    ConditionExpression: '#state = :processing AND digest = :digest',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':processing': 'processing', ':digest': digest },
  }));
}
