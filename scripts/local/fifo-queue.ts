import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { messageGroupOf, type DeliveryQueue, type OutgoingMessage } from '#functions/platform/queue.js';

/**
 * An in-process stand-in for the SQS FIFO delivery queue and its Lambda event source mapping,
 * with the behaviour delivery depends on:
 * - messages of one group are handed out in the order sent, and none of a group while one of
 *   its messages is in flight (received, neither deleted nor visible again);
 * - a deduplication id seen in the last 5 minutes is dropped;
 * - a received message stays hidden for the visibility timeout, or as long as the consumer
 *   asked (ChangeMessageVisibility), and counts its receipts (ApproximateReceiveCount);
 * - one received more than maxReceiveCount times moves to the dead-letter queue;
 * - the poller passes batches of up to 10 as an SQSEvent and deletes the messages the handler
 *   did not report in batchItemFailures.
 * There is no SQS to run locally (ElasticMQ's npm package predates FIFO queues).
 */
interface Stored {
  readonly messageId: string;
  readonly body: string;
  readonly group: string;
  readonly dedupId: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

export interface LocalFifoQueueOptions {
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

export class LocalFifoQueue implements DeliveryQueue {
  private messages: Stored[] = [];
  private readonly dedup = new Map<string, number>();
  readonly deadLetters: Stored[] = [];
  private seq = 0;

  constructor(private readonly opts: LocalFifoQueueOptions) {}

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    const now = Date.now();
    for (const [id, at] of this.dedup) if (now - at > 300_000) this.dedup.delete(id);
    for (const m of messages) {
      if (this.dedup.has(m.dedupId)) continue;
      this.dedup.set(m.dedupId, now);
      const body = JSON.stringify(m.message);
      this.messages.push({ messageId: randomUUID(), body, group: messageGroupOf(m.message.county, m.message.entity), dedupId: m.dedupId, sentAt: now, receiveCount: 0, visibleAt: 0 });
    }
  }

  async retryLater(receipts: readonly { receiptHandle: string; seconds: number }[]): Promise<void> {
    for (const r of receipts) {
      const m = this.messages.find((x) => x.receiptHandle === r.receiptHandle);
      if (m) m.visibleAt = Date.now() + r.seconds * 1000;
    }
  }

  get depth(): number {
    return this.messages.length;
  }

  /** Up to `max` messages, heads of groups first-come first-served, as SQS FIFO hands them out. */
  receive(max = 10, now = Date.now()): SQSRecord[] {
    const busy = new Set(this.messages.filter((m) => m.receiveCount > 0 && m.visibleAt > now).map((m) => m.group));
    const out: SQSRecord[] = [];
    const seen = new Set<string>();
    for (const m of [...this.messages]) {
      if (out.length >= max) break;
      if (busy.has(m.group)) continue;
      // A group's later message only follows its head in the same batch, never alone.
      if (seen.has(m.group) && !out.some((r) => r.attributes.MessageGroupId === m.group)) continue;
      seen.add(m.group);
      if (m.visibleAt > now) {
        busy.add(m.group);
        continue;
      }
      if (m.receiveCount >= this.opts.maxReceiveCount) {
        this.messages = this.messages.filter((x) => x !== m);
        this.deadLetters.push(m);
        seen.delete(m.group); // the group's next message is its head now
        continue;
      }
      m.receiveCount++;
      m.firstReceivedAt ??= now;
      m.visibleAt = now + this.opts.visibilityTimeoutSeconds * 1000;
      m.receiptHandle = randomUUID();
      out.push(this.record(m));
    }
    return out;
  }

  delete(receiptHandle: string): void {
    this.messages = this.messages.filter((m) => m.receiptHandle !== receiptHandle);
  }

  private record(m: Stored): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle!,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
        MessageGroupId: m.group,
        MessageDeduplicationId: m.dedupId,
        SequenceNumber: String(++this.seq).padStart(20, '0'),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:platform-delivery.fifo',
      awsRegion: process.env.AWS_REGION ?? 'cn-north-1',
    };
  }
}

/** The event source mapping: polls, invokes the handler, deletes what succeeded. */
export function startQueuePoller(queue: LocalFifoQueue, handler: (event: SQSEvent) => Promise<SQSBatchResponse>, opts: { pollMs?: number; concurrency?: number; onError?: (e: Error) => void } = {}): { stop(): Promise<void> } {
  let stopped = false;
  const workers = Array.from({ length: opts.concurrency ?? 4 }, async () => {
    while (!stopped) {
      const records = queue.receive(10);
      if (!records.length) {
        await new Promise((r) => setTimeout(r, opts.pollMs ?? 50));
        continue;
      }
      try {
        const res = await handler({ Records: records });
        const failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
        for (const r of records) if (!failed.has(r.messageId)) queue.delete(r.receiptHandle);
      } catch (e) {
        // A failed invocation leaves every message to come back after its visibility timeout.
        opts.onError?.(e as Error);
      }
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.allSettled(workers);
    },
  };
}
