import { platformRoutes } from '#shared/routes/platform.js';
import { httpLambda } from '../http/lambda.js';
import { eventFeed, listDeadLettersHandler, reconciliation, replayDeadLettersHandler } from './handlers/outbound.js';
import { platformWebhook } from './handlers/platform-webhook.js';

/** Entry point of the platform function: the platform's webhooks, the pull feed, dead letters. */
export const handler = httpLambda('platform', platformRoutes, {
  platformWebhook,
  eventFeed,
  reconciliation,
  listDeadLetters: listDeadLettersHandler,
  replayDeadLetters: replayDeadLettersHandler,
});
