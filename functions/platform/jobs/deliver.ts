import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics } from '../../lib/powertools.js';
import { deliver, retryPolicy } from '../delivery.js';
import { deliveryQueue, type DeliveryMessage } from '../queue.js';

class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

/**
 * Consumes the FIFO delivery queue. Powertools' FIFO processor stops a message group at its
 * first failure and reports it and the group's later messages as failed (so they are not
 * delivered out of order), while other groups go on. Each failed message is then hidden for
 * its group's back-off; without that, SQS would offer it again after the queue's fixed
 * visibility timeout.
 */
export async function deliverBatch(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  const policy = retryPolicy();
  const delayOfGroup = new Map<string, number>();
  const groupOf = (r: SQSRecord) => r.attributes.MessageGroupId ?? r.messageId;
  const now = new Date();
  const result = await processPartialResponse(event, async (record: SQSRecord) => {
    const msg = JSON.parse(record.body) as DeliveryMessage;
    const outcome = await deliver(msg, now, policy);
    if (outcome.result === 'retry') {
      delayOfGroup.set(groupOf(record), outcome.inSeconds);
      throw new RetryLater(outcome.error);
    }
  }, new SqsFifoPartialProcessorAsync(), { ...(context && { context }), skipGroupOnError: true, throwOnFullBatchFailure: false });

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
