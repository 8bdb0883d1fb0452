import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../../lib/powertools.js';
import { runNoShows } from '../no-shows.js';

/** Scheduled by EventBridge every 15 minutes; locally `npm start` calls runNoShows on a timer. */
export const handler = middy(async () => runNoShows(new Date())).use(injectLambdaContext(logger));
