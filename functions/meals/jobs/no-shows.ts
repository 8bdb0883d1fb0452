import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../../lib/powertools.js';
import { runNoShows } from '../no-shows.js';

/** Scheduled by EventBridge every 15 minutes (shared/jobs.ts); locally `npm start` runs this handler every minute. */
export const handler = middy(async () => runNoShows(new Date())).use(injectLambdaContext(logger));
