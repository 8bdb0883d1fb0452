import { platformRoutes } from '#shared/routes/platform.js';
import { httpLambda } from '../http/lambda.js';
import { pageTokenKey } from '../lib/page-token-key.js';
import { eventFeed, listDeadLettersHandler, reconciliation, replayDeadLettersHandler } from './handlers/outbound.js';

/**
 * Entry point of the platform feed function: the outbound side staff and the platform call: the
 * event feed, reconciliation, dead letters and their replay. It touches only the Platform
 * table and the delivery queue.
 */
export const handler = httpLambda('platformFeed', platformRoutes, {
  eventFeed,
  reconciliation,
  listDeadLetters: listDeadLettersHandler,
  replayDeadLetters: replayDeadLettersHandler,
}, undefined, pageTokenKey);
