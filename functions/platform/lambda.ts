import { httpLambda } from '../http/lambda.js';
import { platformWebhook } from './handlers/platform-webhook.js';

/** Entry point of the platform function: webhooks from the smart elderly-care platform. */
export const handler = httpLambda('platform', { platformWebhook });
