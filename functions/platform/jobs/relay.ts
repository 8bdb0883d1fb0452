import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics } from '../../lib/powertools.js';
import { relayEvents } from '../relay.js';
import { eventOf } from '../stream-events.js';

/** Events per step; a failed step is reported from its first record, so Lambda resumes there. */
const STEP = 90;

/**
 * Consumes the Registry, Meals and Beds streams (the outbox). Records are relayed in steps of up
 * to 90 events, in stream order; when a step fails, the batch is answered with that step's
 * first record as the failure, so Lambda retries from there and the steps before it are not
 * repeated (ReportBatchItemFailures). Records must stay in order, which is why this is not a
 * per-record processor: a record can't succeed after an earlier one of its shard failed.
 */
export async function relayRecords(records: readonly DynamoDBRecord[], now = new Date()): Promise<DynamoDBBatchResponse> {
  let start = 0;
  while (start < records.length) {
    let end = start;
    const events = [];
    while (end < records.length && events.length < STEP) {
      const e = eventOf(records[end]!);
      if (e) events.push(e);
      end++;
    }
    try {
      await relayEvents(events, now);
    } catch (e) {
      logger.error('relay step failed; Lambda retries from its first record', { error: (e as Error).message, records: end - start });
      return { batchItemFailures: [{ itemIdentifier: records[start]!.dynamodb!.SequenceNumber! }] };
    }
    start = end;
  }
  return { batchItemFailures: [] };
}

export const handler = middy(async (event: DynamoDBStreamEvent) => {
  try {
    return await relayRecords(event.Records);
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}).use(injectLambdaContext(logger));
