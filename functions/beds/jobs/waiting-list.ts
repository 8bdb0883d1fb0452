import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../../lib/powertools.js';
import { runWaitingList } from '../offers.js';

/**
 * Scheduled every 15 minutes by EventBridge (shared/jobs.ts); locally every minute. Expires
 * offers past their hold and offers every vacant public bed that has a suitable application.
 * Logs counts per county only.
 */
export const handler = middy(async () => {
  const counties = await runWaitingList(new Date());
  logger.info('waiting list run', { counties: counties.length, expired: counties.reduce((s, c) => s + c.expired, 0), offered: counties.reduce((s, c) => s + c.offered, 0) });
  return { counties };
}).use(injectLambdaContext(logger));
