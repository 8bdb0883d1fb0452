import { beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../functions/platform/domain/ledger.js';
import { cstDate } from '../../shared/time.js';
import { LocalFifoQueue } from '../../scripts/local/fifo-queue.js';
import { uniqueCounty } from '../support/api.js';
import { useLocalEnv } from '../support/env.js';

/**
 * The relay in-process against DynamoDB Local, with a queue of its own: what a retried stream
 * batch and relays racing on one county's feed head do to the ledger.
 */
let relay: typeof import('../../functions/platform/relay.js');
let store: typeof import('../../functions/platform/store.js');
let queue: LocalFifoQueue;

beforeAll(async () => {
  useLocalEnv();
  queue = new LocalFifoQueue({ visibilityTimeoutSeconds: 30, maxReceiveCount: 100 });
  (await import('../../functions/platform/queue.js')).useDeliveryQueue(queue);
  relay = await import('../../functions/platform/relay.js');
  store = await import('../../functions/platform/store.js');
});

let n = 0;
const event = (county: string, entity = `elder:e${n}`): LedgerEvent => ({
  id: `evt-${county}-${String(++n).padStart(6, '0')}`, type: 'elder.updated', occurredAt: new Date().toISOString(), county, entity, data: { elderId: 'e', changed: ['categories'] },
});
const eventOf = async (id: string) => (await store.ledgeredEvents([id])).get(id);
const queuedIds = () => queue.receive(10_000).map((r) => (JSON.parse(r.body) as { eventId: string }).eventId);

describe('the relay', () => {
  it('ledgers a retried batch once, and queues again only what is still pending', async () => {
    const county = uniqueCounty();
    const batch = Array.from({ length: 5 }, () => event(county));
    expect(await relay.relayEvents(batch, new Date())).toEqual({ ledgered: 5, queued: 5 });
    const sent = queuedIds();
    expect(sent).toEqual(batch.map((e) => e.id));
    // One was delivered meanwhile; the stream hands the batch again (with one new event).
    const delivered = await eventOf(batch[0]!.id);
    await store.recordDelivery(batch[0]!.id, { ...delivered!.delivery, status: 'delivered' });
    const more = event(county);
    expect(await relay.relayEvents([...batch, more], new Date())).toEqual({ ledgered: 1, queued: 5 });
    const feed = await store.feedAfter(county, 0, 100);
    expect(feed.map((e) => e.id)).toEqual([...batch, more].map((e) => e.id));
    expect(feed.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await store.reconciliation(county, cstDate(new Date(feed[0]!.occurredAt)))).total).toBe(6);
  });

  it('keeps a county\'s sequence dense and unique when relays of several tables append at once', async () => {
    const county = uniqueCounty();
    const batches = Array.from({ length: 6 }, () => Array.from({ length: 12 }, () => event(county)));
    await Promise.all(batches.map((b) => relay.relayEvents(b, new Date())));
    const feed = await store.feedAfter(county, 0, 500);
    expect(feed).toHaveLength(72);
    expect(feed.map((e) => e.seq)).toEqual(feed.map((_, i) => i + 1));
    expect(new Set(feed.map((e) => e.id)).size).toBe(72);
    // Each batch keeps its own order in the feed (one shard's records stay in order).
    for (const b of batches) {
      const seqs = b.map((e) => feed.find((f) => f.id === e.id)!.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    expect(await store.feedHead(county)).toBe(72);
    queuedIds();
  });

  it('delivers without a write on the event when the first attempt succeeds, and records the success that follows failures', async () => {
    const { deliver } = await import('../../functions/platform/delivery.js');
    const county = uniqueCounty();
    const [quick, slow] = [event(county), event(county)];
    await relay.relayEvents([quick, slow], new Date());
    queuedIds();
    const policy = { maxAttempts: 4, baseSeconds: 1, capSeconds: 2 };
    const ok = async () => undefined;
    const down = async () => { throw new Error('platform answered 503'); };
    expect(await deliver({ eventId: quick.id, county, entity: quick.entity }, new Date(), policy, ok)).toEqual({ result: 'delivered', county, seq: 1 });
    expect((await eventOf(quick.id))!.delivery).toEqual({ status: 'pending', attempts: 0 });
    expect((await deliver({ eventId: slow.id, county, entity: slow.entity }, new Date(), policy, down)).result).toBe('retry');
    expect((await eventOf(slow.id))!.delivery).toMatchObject({ status: 'pending', attempts: 1, lastError: 'platform answered 503' });
    expect(await deliver({ eventId: slow.id, county, entity: slow.entity }, new Date(), policy, ok)).toEqual({ result: 'delivered', county, seq: 2 });
    expect((await eventOf(slow.id))!.delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    // Sent again (a relay retry), the recorded one is not delivered twice.
    expect(await deliver({ eventId: slow.id, county, entity: slow.entity }, new Date(), policy, down)).toEqual({ result: 'already_delivered', county, seq: 2 });
  });

  it('tells delivered from never sent: the deliverer\'s batch writes a receipt, and a retried stream batch does not queue what it shows delivered', async () => {
    const { deliverBatch } = await import('../../functions/platform/jobs/deliver.js');
    const { deliveryState } = await import('../../functions/platform/domain/ledger.js');
    const county = uniqueCounty();
    // 105 events: the receipts of seqs 1-99 and 100-199 are both touched.
    const batch = Array.from({ length: 105 }, () => event(county));
    await relay.relayEvents(batch, new Date());
    const sent: string[] = [];
    const records = queue.receive(10_000);
    // The first 60 are delivered (six batches of ten, as SQS hands them out), the rest never sent.
    for (let i = 0; i < 60; i += 10) {
      await deliverBatch({ Records: records.slice(i, i + 10) }, undefined, async (p) => { sent.push(p.id); });
    }
    const states = async () => {
      const events = [...(await store.ledgeredEvents(batch.map((e) => e.id))).values()].sort((a, b) => a.seq - b.seq);
      const receipts = await store.deliveredSeqs(county, events.map((e) => e.seq));
      return events.map((e) => deliveryState(e, receipts.has(e.seq)));
    };
    expect(await states()).toEqual([...Array(60).fill('delivered'), ...Array(45).fill('not_sent')]);
    expect((await eventOf(batch[0]!.id))!.delivery).toEqual({ status: 'pending', attempts: 0 }); // nothing written on the event itself
    expect(new Set(sent).size).toBe(60);
    // The stream hands the batch again much later (past the queue's deduplication window): only
    // the 45 never sent are queued again.
    queue = new LocalFifoQueue({ visibilityTimeoutSeconds: 30, maxReceiveCount: 100 });
    (await import('../../functions/platform/queue.js')).useDeliveryQueue(queue);
    expect(await relay.relayEvents(batch, new Date())).toEqual({ ledgered: 0, queued: 45 });
    expect(queuedIds()).toEqual(batch.slice(60).map((e) => e.id));
  });

  it('puts events of several counties in one batch each into its own county\'s feed', async () => {
    const [a, b] = [uniqueCounty(), uniqueCounty()];
    await relay.relayEvents([event(a), event(b), event(a)], new Date());
    expect((await store.feedAfter(a, 0, 10)).map((e) => e.seq)).toEqual([1, 2]);
    expect((await store.feedAfter(b, 0, 10)).map((e) => e.seq)).toEqual([1]);
    queuedIds();
  });
});
