import { defineRoutes } from '../http/route.js';
import {
  deadLetterList, deadLettersQuery, feedPage, feedQuery, platformWebhook, reconciliation, reconciliationQuery, replayBody, replayResult, webhookResult,
} from '../schemas/platform.js';

const tag = 'Smart elderly-care platform';

export const platformRoutes = defineRoutes({
  platformWebhook: {
    method: 'POST', path: '/v1/platform/webhooks', fn: 'platform', access: 'signed', tag,
    summary: 'The platform\'s elder enrolments, updates, assessments and deaths, and care-bed applications filed on it, signed with Standard Webhooks.',
    description:
      'No bearer token: the request is authenticated by its `webhook-id`, `webhook-timestamp` and `webhook-signature` headers (v1, HMAC-SHA256 of "id.timestamp.body" with the shared secret). A bad signature or a timestamp more than 5 minutes off is 401; a body that is not JSON, or a `webhook-id` that is not 1-256 visible ASCII characters, is 400. A `webhook-id` already processed with the same body (the same JSON value) answers `duplicate` and changes nothing; with a different body it is 409 `WEBHOOK_ID_REUSED`, and 409 `IDEMPOTENCY_IN_PROGRESS` while another delivery of it is still being applied. Applying is idempotent. `elder.deceased` follows the registry\'s date rules: an earlier date than the one recorded corrects it (`applied`), the same or a later one is `unchanged`, a date after today is 422 DATE_IN_FUTURE and one before the birth date 422 DATE_OUT_OF_ORDER. `bed_application.filed` files a care-bed application as POST /v1/bed-applications does (same fields, the elder named by `idNumber`), under the same rules: `applied` with the new `applicationId`; an elder who already has an open application is `unchanged` with that application\'s id (not 409); an elder recorded deceased is 422 ELDER_DECEASED; an elder or a preferred institution not of the county is 404. Every event finds its elder by ID number: one registered in another county is 403.',
    docBody: platformWebhook, responses: { 200: webhookResult }, errors: ['NOT_FOUND', 'FORBIDDEN', 'WEBHOOK_ID_REUSED', 'IDEMPOTENCY_IN_PROGRESS', 'UNKNOWN_TOWNSHIP', 'CARD_IN_USE', 'DATE_IN_FUTURE', 'DATE_OUT_OF_ORDER', 'ELDER_DECEASED'],
  },
  eventFeed: {
    method: 'GET', path: '/v1/platform/events', fn: 'platformFeed', access: ['platform'], tag,
    summary: 'Every event of the caller\'s county as an ordered, resumable feed: the same events the webhooks deliver.',
    description:
      'Start without `after`, then pass each page\'s `cursor`. Events come in sequence order, each exactly once; a page can be short (or empty) while the newest events are still being indexed, never with a gap. Deduplicate on `id` if you also take webhooks.',
    query: feedQuery, responses: { 200: feedPage },
  },
  reconciliation: {
    method: 'GET', path: '/v1/platform/reconciliation', fn: 'platformFeed', access: ['platform', 'staff'], tag,
    summary: 'How many events of each type occurred on a day (China Standard Time), to check nothing is missing.',
    query: reconciliationQuery, responses: { 200: reconciliation },
  },
  listDeadLetters: {
    method: 'GET', path: '/v1/platform/dead-letters', fn: 'platformFeed', access: ['staff'], tag,
    summary: 'Events the platform did not accept after every retry (county staff), oldest first.',
    query: deadLettersQuery, responses: { 200: deadLetterList }, errors: ['INVALID_PAGE_TOKEN'],
  },
  replayDeadLetters: {
    method: 'POST', path: '/v1/platform/dead-letters/replay', fn: 'platformFeed', access: ['staff'], tag,
    summary: 'Sends parked events again, oldest first, with their original event ids (county staff).',
    description: 'Each event keeps its id (the `webhook-id`), so a platform that did receive one before can drop the copy. Events of one entity go in their original order.',
    body: replayBody, responses: { 200: replayResult },
  },
});
