import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../../lib/powertools.js';
import { snapshotOccupancy } from '../occupancy.js';

/** Scheduled daily by EventBridge (23:50 China Standard Time, shared/jobs.ts); locally `npm start` runs it on start and hourly. */
export const handler = middy(async () => ({ points: await snapshotOccupancy(new Date()) })).use(injectLambdaContext(logger));
