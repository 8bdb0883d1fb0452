import { platformRoutes } from '#shared/routes/platform.js';
import { httpLambda } from '../http/lambda.js';
import { platformWebhook } from './handlers/platform-webhook.js';

/** Entry point of the platform function: the platform's signed webhooks (enrolments, assessments, deaths). */
export const handler = httpLambda('platform', platformRoutes, { platformWebhook });
