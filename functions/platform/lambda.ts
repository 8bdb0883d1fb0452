import { httpLambda } from '../http/lambda.js';
import { eventFeed, listDeadLettersHandler, reconciliation, replayDeadLettersHandler } from './handlers/outbound.js';
import { platformWebhook } from './handlers/platform-webhook.js';

/** Entry point of the platform function: the platform's webhooks, the pull feed, dead letters. */
export const handler = httpLambda('platform', {
  platformWebhook,
  eventFeed,
  reconciliation,
  listDeadLetters: listDeadLettersHandler,
  replayDeadLetters: replayDeadLettersHandler,
});
