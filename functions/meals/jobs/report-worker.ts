import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../lib/powertools.js';
import { runReportJob } from '../report-jobs.js';

/**
 * Runs report jobs. Invoked by the Meals table's stream through an event source mapping whose
 * filter passes only the insert of a job record (`REPORT#<id>` / `REPORTJOB`), one record a
 * batch, up to ten at a time per shard. A job that fails is marked failed by runReportJob;
 * only a crash or timeout makes Lambda retry the record, which a finished job ignores.
 */
export const handler = middy(async (event: DynamoDBStreamEvent) => {
  for (const record of event.Records) {
    const pk = record.dynamodb?.Keys?.pk?.S;
    if (pk?.startsWith('REPORT#')) await runReportJob(pk.slice('REPORT#'.length));
  }
}).use(injectLambdaContext(logger));
