import { createHash } from 'node:crypto';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { config } from '../lib/config.js';

/**
 * The delivery queue: SQS FIFO in AWS. Each message names one ledgered event; its group is the
 * event's entity, so the queue hands out one entity's events in order and holds the rest of a
 * group while one of its messages is being retried.
 */
export interface DeliveryMessage {
  readonly eventId: string;
  readonly county: string;
  readonly entity: string;
}

export interface OutgoingMessage {
  readonly message: DeliveryMessage;
  /** Deduplication id: the event id on first send, so a relay retry doesn't enqueue it twice. */
  readonly dedupId: string;
}

export interface DeliveryQueue {
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Hides received messages for `seconds` before they are tried again (the back-off). */
  retryLater(receipts: readonly { receiptHandle: string; seconds: number }[]): Promise<void>;
}

/** Group ids are at most 128 characters of a limited set, so a long entity (a bed id) is hashed. */
export function messageGroupOf(county: string, entity: string): string {
  const id = `${county}:${entity}`;
  return id.length <= 128 && /^[A-Za-z0-9:_.-]+$/.test(id) ? id : `${county}:${createHash('sha256').update(entity).digest('base64url')}`;
}

class SqsDeliveryQueue implements DeliveryQueue {
  private readonly client = new SQSClient({});
  constructor(private readonly url: string) {}

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    // In order, ten at a time: SQS keeps a group's order across and within batch calls.
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const out = await this.client.send(new SendMessageBatchCommand({
        QueueUrl: this.url,
        Entries: chunk.map((m, j) => ({
          Id: String(j),
          MessageBody: JSON.stringify(m.message),
          MessageGroupId: messageGroupOf(m.message.county, m.message.entity),
          MessageDeduplicationId: m.dedupId,
        })),
      }));
      // A partly failed batch fails the caller, which retries it all: deduplication ids make
      // the resend of the entries that did go through harmless.
      if (out.Failed?.length) throw new Error(`SQS refused ${out.Failed.length} of ${chunk.length} messages: ${out.Failed[0]!.Code}`);
    }
  }

  async retryLater(receipts: readonly { receiptHandle: string; seconds: number }[]): Promise<void> {
    for (let i = 0; i < receipts.length; i += 10) {
      await this.client.send(new ChangeMessageVisibilityBatchCommand({
        QueueUrl: this.url,
        // SQS takes whole seconds, at most 12 hours.
        Entries: receipts.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle, VisibilityTimeout: Math.min(43_200, Math.ceil(r.seconds)) })),
      }));
    }
  }
}

let queue: DeliveryQueue | undefined;

/** The queue named by DELIVERY_QUEUE_URL, or the one the local runner installed. */
export function deliveryQueue(): DeliveryQueue {
  if (queue) return queue;
  return (queue = new SqsDeliveryQueue(config.deliveryQueueUrl()));
}

/** Locally there is no SQS: `npm start` and the tests install their in-process FIFO queue. */
export function useDeliveryQueue(q: DeliveryQueue): void {
  queue = q;
}
