import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics } from '../../lib/powertools.js';
import { deliver, retryPolicy } from '../delivery.js';
import { deliveryQueue, type DeliveryMessage } from '../queue.js';
import { postToPlatform, type Sender } from '../sender.js';
import { recordDelivered } from '../store.js';

class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

/**
 * Consumes the FIFO delivery queue. Each message group (one entity) goes through Powertools'
 * FIFO processor, which stops the group at its first failure and reports it and the group's
 * later messages as failed, so they are not delivered out of order. Groups are independent, so
 * they run side by side: a batch of ten entities waits for the platform once, not ten times
 * (a slow platform costs Lambda time, and time is what Lambda bills). What was delivered goes
 * into the county's delivery receipt, one write for the batch. Each failed message is then
 * hidden for its group's back-off; without that, SQS would offer it again after the queue's
 * fixed visibility timeout.
 */
export async function deliverBatch(event: SQSEvent, context?: Context, send: Sender = postToPlatform): Promise<SQSBatchResponse> {
  const policy = retryPolicy();
  const delayOfGroup = new Map<string, number>();
  const groupOf = (r: SQSRecord) => r.attributes.MessageGroupId ?? r.messageId;
  const now = new Date();
  const groups = new Map<string, SQSRecord[]>();
  for (const r of event.Records) {
    const list = groups.get(groupOf(r));
    if (list) list.push(r);
    else groups.set(groupOf(r), [r]);
  }
  const delivered = new Map<string, number[]>();
  const results = await Promise.all([...groups.values()].map((records) => processPartialResponse({ Records: records }, async (record: SQSRecord) => {
    const msg = JSON.parse(record.body) as DeliveryMessage;
    const outcome = await deliver(msg, now, policy, send);
    if (outcome.result === 'retry') {
      delayOfGroup.set(groupOf(record), outcome.inSeconds);
      throw new RetryLater(outcome.error);
    }
    if (outcome.result !== 'parked') delivered.set(outcome.county, [...(delivered.get(outcome.county) ?? []), outcome.seq]);
  }, new SqsFifoPartialProcessorAsync(), { ...(context && { context }), skipGroupOnError: true, throwOnFullBatchFailure: false })));
  const result: SQSBatchResponse = { batchItemFailures: results.flatMap((r) => r.batchItemFailures) };

  // The ledger learns of every delivery, in one write per county receipt for the whole batch.
  // Before the messages are deleted: should this fail, the invocation fails, the batch comes back
  // and is delivered again under the same ids (the platform deduplicates), never left unrecorded.
  await Promise.all([...delivered].map(([county, seqs]) => recordDelivered(county, seqs)));

  const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
  if (failed.size) {
    await deliveryQueue().retryLater(event.Records.filter((r) => failed.has(r.messageId)).map((r) => ({
      receiptHandle: r.receiptHandle,
      seconds: delayOfGroup.get(groupOf(r)) ?? policy.baseSeconds,
    })));
    logger.info('deliveries to retry', { messages: failed.size });
  }
  return result;
}

export const handler = middy(async (event: SQSEvent, context: Context) => {
  try {
    return await deliverBatch(event, context);
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}).use(injectLambdaContext(logger));
