import { defineRoutes } from '../http/route.js';
import { platformWebhook, webhookResult } from '../schemas/platform.js';

export const platformRoutes = defineRoutes({
  platformWebhook: {
    method: 'POST', path: '/v1/platform/webhooks', fn: 'platform', access: 'signed', tag: 'Smart elderly-care platform',
    summary: 'The platform\'s elder enrolments, updates, assessments and deaths, signed with Standard Webhooks.',
    description:
      'No bearer token: the request is authenticated by its `webhook-id`, `webhook-timestamp` and `webhook-signature` headers (v1, HMAC-SHA256 of "id.timestamp.body" with the shared secret). A bad signature or a timestamp more than 5 minutes off is 401; a `webhook-id` already processed answers `duplicate` and changes nothing. Applying is idempotent.',
    docBody: platformWebhook, responses: { 200: webhookResult }, errors: ['NOT_FOUND'],
  },
});
