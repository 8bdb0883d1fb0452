import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { platformRetryDefaults } from '../../shared/platform-retry.js';

/**
 * The two Lambda adapters of the platform link, with their use cases replaced: what they tell
 * the event source mappings when something fails (partial batch failures), and the back-off
 * they ask SQS for.
 */
const relayEvents = vi.fn();
const deliver = vi.fn();
const retryLater = vi.fn();
const recordDelivered = vi.fn();
vi.mock('../../functions/platform/relay.js', () => ({ relayEvents: (...a: unknown[]) => relayEvents(...a) }));
vi.mock('../../functions/platform/delivery.js', () => ({
  deliver: (...a: unknown[]) => deliver(...a),
  retryPolicy: () => platformRetryDefaults,
}));
vi.mock('../../functions/platform/queue.js', () => ({ deliveryQueue: () => ({ retryLater, send: vi.fn() }) }));
vi.mock('../../functions/platform/store.js', () => ({ recordDelivered: (...a: unknown[]) => recordDelivered(...a) }));
const delivered = (seq: number, county = '411327') => ({ result: 'delivered', county, seq });

const { relayRecords } = await import('../../functions/platform/jobs/relay.js');
const { deliverBatch } = await import('../../functions/platform/jobs/deliver.js');

const streamRecord = (i: number, withEvent = true): DynamoDBRecord => ({
  eventName: 'MODIFY',
  dynamodb: {
    SequenceNumber: String(1000 + i),
    NewImage: { pk: { S: `X#${i}` }, ...(withEvent && { evt: { M: { id: { S: `e${i}` }, type: { S: 'menu.updated' }, occurredAt: { S: '2026-11-24T00:00:00Z' }, county: { S: '411327' }, entity: { S: `menu:${i}` }, data: { M: {} } } } }) },
  },
});

describe('relay handler', () => {
  beforeEach(() => relayEvents.mockReset());

  it('relays records in steps of 90 events, skipping records without one', async () => {
    relayEvents.mockResolvedValue({ ledgered: 0, queued: 0 });
    const records = Array.from({ length: 200 }, (_, i) => streamRecord(i, i % 2 === 0));
    expect(await relayRecords(records)).toEqual({ batchItemFailures: [] });
    expect(relayEvents.mock.calls.map((c) => (c[0] as unknown[]).length)).toEqual([90, 10]);
  });

  it('reports the first record of the failed step, so Lambda resumes there and earlier steps are not repeated', async () => {
    relayEvents.mockResolvedValueOnce({ ledgered: 90, queued: 90 }).mockRejectedValueOnce(new Error('throttled'));
    const records = Array.from({ length: 150 }, (_, i) => streamRecord(i));
    expect(await relayRecords(records)).toEqual({ batchItemFailures: [{ itemIdentifier: '1090' }] });
  });
});

describe('delivery handler', () => {
  beforeEach(() => {
    deliver.mockReset();
    retryLater.mockReset();
    recordDelivered.mockReset();
  });
  const message = (id: string, group: string, n: number): SQSRecord => ({
    messageId: id, receiptHandle: `rh-${id}`, body: JSON.stringify({ eventId: id, county: '411327', entity: group }),
    attributes: { ApproximateReceiveCount: String(n), SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0', MessageGroupId: group },
    messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'x',
  });

  it('stops a group at its failure (its later messages fail too), lets other groups go on, and hides the failed ones for the back-off', async () => {
    deliver.mockImplementation(async (msg: { eventId: string }) => (msg.eventId === 'a1' ? { result: 'retry', inSeconds: 42, error: 'platform answered 503' } : delivered(Number(msg.eventId.slice(1)))));
    const out = await deliverBatch({ Records: [message('a1', 'A', 1), message('b1', 'B', 1), message('a2', 'A', 1), message('b2', 'B', 1)] });
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['a1', 'a2']);
    expect(deliver.mock.calls.map((c) => (c[0] as { eventId: string }).eventId).sort()).toEqual(['a1', 'b1', 'b2']);
    expect(retryLater).toHaveBeenCalledWith([{ receiptHandle: 'rh-a1', seconds: 42 }, { receiptHandle: 'rh-a2', seconds: 42 }]);
  });

  it('delivers different groups side by side, one group\'s messages one after another', async () => {
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    deliver.mockImplementation(async (msg: { eventId: string }) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      order.push(msg.eventId);
      inFlight--;
      return delivered(1);
    });
    const records = ['A', 'B', 'C', 'D'].flatMap((g) => [message(`${g}1`, g, 1), message(`${g}2`, g, 1)]);
    expect((await deliverBatch({ Records: records })).batchItemFailures).toEqual([]);
    expect(most).toBe(4);
    for (const g of ['A', 'B', 'C', 'D']) expect(order.indexOf(`${g}1`)).toBeLessThan(order.indexOf(`${g}2`));
  });

  it('retries an unexpected failure after the base delay, and asks nothing of SQS when all went through', async () => {
    deliver.mockRejectedValueOnce(new Error('ledger unreachable')).mockResolvedValue(delivered(1));
    const out = await deliverBatch({ Records: [message('c1', 'C', 1), message('d1', 'D', 1)] });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'c1' }]);
    expect(retryLater).toHaveBeenCalledWith([{ receiptHandle: 'rh-c1', seconds: 30 }]);
    retryLater.mockReset();
    expect((await deliverBatch({ Records: [message('e1', 'E', 1)] })).batchItemFailures).toEqual([]);
    expect(retryLater).not.toHaveBeenCalled();
  });

  it('records the batch\'s deliveries in the ledger with one write per county, before SQS deletes them; parked and refused ones are not', async () => {
    const outcomes: Record<string, unknown> = {
      a1: delivered(7), b1: delivered(8), c1: delivered(3, '411328'), d1: { result: 'parked' }, e1: { result: 'retry', inSeconds: 1, error: 'x' }, f1: { result: 'already_delivered', county: '411327', seq: 2 },
    };
    deliver.mockImplementation(async (msg: { eventId: string }) => outcomes[msg.eventId]);
    await deliverBatch({ Records: Object.keys(outcomes).map((id) => message(id, id.toUpperCase(), 1)) });
    expect(recordDelivered.mock.calls.map(([county, seqs]) => [county, [...(seqs as number[])].sort()]).sort()).toEqual([['411327', [2, 7, 8]], ['411328', [3]]]);
    // A ledger that can't be written fails the invocation: the batch comes back, nothing is left unrecorded.
    recordDelivered.mockRejectedValueOnce(new Error('throttled'));
    await expect(deliverBatch({ Records: [message('a1', 'A', 1)] })).rejects.toThrow('throttled');
  });
});
