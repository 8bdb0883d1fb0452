import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { Principal } from '#shared/auth/principal.js';
import { AppError, errors } from '#shared/http/errors.js';
import { platformWebhook, type PlatformWebhook } from '#shared/schemas/platform.js';
import { contentDigest } from '../lib/digest.js';
import { logger } from '../lib/powertools.js';
import { fileApplication } from '../beds/applications.js';
import { cancelBookingsFrom } from '../meals/bookings.js';
import { findByIdNumber, registerElder, reportDeceased, updateElder } from '../registry/elders.js';
import * as store from './store.js';
import { webhookSecrets } from './webhook-secret.js';

type Outcome = { status: 'applied' | 'duplicate' | 'unchanged'; elderId?: string; applicationId?: string; detail?: string };

/**
 * The webhook-id is the platform's idempotency key and part of a DynamoDB key: visible ASCII,
 * at most 256 characters (Standard Webhooks ids are `msg_` and a random part).
 */
const WEBHOOK_ID = /^[\x21-\x7e]{1,256}$/;

/**
 * A webhook from the smart elderly-care platform:
 * 1. verified: signature and a timestamp within 5 minutes (Standard Webhooks reference library;
 *    401 otherwise). The body is verified as bytes: the library is told not to parse it.
 * 2. the webhook-id must be visible ASCII of at most 256 characters, and the body JSON
 *    (400 VALIDATION_FAILED, details on `webhook-id` or on the body, never a 500);
 * 3. the id is claimed with a digest of the body (SHA-256 of its canonical JSON, so key order
 *    and white space don't matter): an id already applied answers `duplicate` when the body is
 *    the same, 409 WEBHOOK_ID_REUSED when it is not (one id, one message, as for Idempotency-Key),
 *    and 409 IDEMPOTENCY_IN_PROGRESS while another delivery of it is being applied;
 * 4. validated and applied through the registry's own use cases (and the beds context's for
 *    `bed_application.filed`), which makes applying idempotent too (an enrolment of someone
 *    registered, a death already recorded, an application for an elder who has an open one:
 *    unchanged).
 *    If validating or applying fails, the claim is given back so a corrected retry can apply.
 */
export async function receiveWebhook(rawBody: string, headers: Readonly<Record<string, string | undefined>>, now: Date): Promise<Outcome> {
  const h = { 'webhook-id': headers['webhook-id'] ?? '', 'webhook-timestamp': headers['webhook-timestamp'] ?? '', 'webhook-signature': headers['webhook-signature'] ?? '' };
  // During a rotation the old and the new secret are both accepted (webhook-secret.ts).
  let refusal: WebhookVerificationError | undefined;
  for (const secret of await webhookSecrets('inbound')) {
    try {
      new Webhook(secret).verify(rawBody, h, { jsonParse: false });
      refusal = undefined;
      break;
    } catch (e) {
      if (!(e instanceof WebhookVerificationError)) throw e;
      refusal = e;
    }
  }
  if (refusal) throw errors.unauthorized(`Webhook not accepted: ${refusal.message}.`);
  const id = h['webhook-id'];
  if (!WEBHOOK_ID.test(id)) throw errors.validation([{ path: 'webhook-id', in: 'header', message: 'must be 1-256 visible ASCII characters' }]);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw errors.validation([{ path: '', message: 'body is not valid JSON' }], 'The webhook body is not JSON.');
  }

  const digest = contentDigest(body);
  const claim = await store.claimWebhook(id, digest, now);
  if (!claim.ok) {
    // Records from before digests were kept have none: they answer duplicate, as they did.
    if (claim.digest !== undefined && claim.digest !== digest) {
      throw errors.rule('WEBHOOK_ID_REUSED', 'This webhook-id was already received with a different body; nothing was changed.', [{ path: 'webhook-id', in: 'header', message: 'already used for another message' }]);
    }
    if (claim.state === 'processing') throw errors.rule('IDEMPOTENCY_IN_PROGRESS', 'This webhook is being applied by another delivery; retry shortly.');
    return { status: 'duplicate' };
  }
  let type: string;
  let outcome: Outcome;
  try {
    const parsed = platformWebhook.safeParse(body);
    if (!parsed.success) throw errors.validation(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
    type = parsed.data.type;
    outcome = await apply(parsed.data, id, now);
  } catch (e) {
    await store.releaseWebhook(id, digest);
    throw e;
  }
  await store.completeWebhook(id, digest, type, outcome.status);
  logger.info('platform webhook', { type, status: outcome.status });
  return outcome;
}

/**
 * A use case's refusal with its detail paths moved to where the webhook body has them: under
 * `data`, the elder named by `idNumber` (the use case names `elderId`, which the platform never sent).
 */
function inWebhookBody(e: AppError): AppError {
  const details = e.details.map((d) => (d.path === undefined ? d : { ...d, path: `data.${d.path === 'elderId' ? 'idNumber' : d.path}` }));
  return new AppError(e.code, e.message, details);
}

async function apply(w: PlatformWebhook, webhookId: string, now: Date): Promise<Outcome> {
  // The platform acts as county staff of the event's county; the subject names the webhook,
  // so audit trails show where a change came from.
  const p: Principal = { role: 'staff', sub: `platform:${webhookId}`, county: w.county };
  const elder = await findByIdNumber(w.data.idNumber, now);
  if (elder && elder.county !== w.county) throw errors.forbidden('This elder is registered in another county.');
  try {
    switch (w.type) {
      case 'elder.enrolled': {
        if (elder) return { status: 'unchanged', elderId: elder.id, detail: 'already registered' };
        const { idNumber, name, township, phone, village, categories, dietaryNeeds, capabilityLevel, cardNo } = w.data;
        const created = await registerElder(p, { idNumber, name, township, ...(phone && { phone }), ...(village && { village }), categories: categories ?? [], dietaryNeeds: dietaryNeeds ?? [], ...(capabilityLevel !== undefined && { capabilityLevel }), ...(cardNo && { cardNo }) }, now);
        return { status: 'applied', elderId: created.id };
      }
      case 'elder.updated': {
        if (!elder) throw errors.notFound('Elder with this ID number');
        const { idNumber: _id, ...changes } = w.data;
        await updateElder(p, elder.id, changes, now);
        return { status: 'applied', elderId: elder.id };
      }
      case 'elder.assessed': {
        if (!elder) throw errors.notFound('Elder with this ID number');
        if (elder.capabilityLevel === w.data.capabilityLevel) return { status: 'unchanged', elderId: elder.id };
        await updateElder(p, elder.id, { capabilityLevel: w.data.capabilityLevel }, now, 'elder.assessed');
        return { status: 'applied', elderId: elder.id };
      }
      case 'elder.deceased': {
        // Through the registry's own use case, so the platform's reports follow the same date
        // rules: an earlier date than the one recorded corrects it (applied); the same or a
        // later date changes nothing (unchanged); a date after today or before the birth is 422.
        if (!elder) throw errors.notFound('Elder with this ID number');
        await reportDeceased(p, elder.id, w.data.dateOfDeath, now, cancelBookingsFrom);
        return { status: 'applied', elderId: elder.id };
      }
      case 'bed_application.filed': {
        // Through the beds context's own use case, so its rules hold as for staff: a deceased
        // elder is 422 ELDER_DECEASED, a preferred institution outside the county 404, and one
        // open application per elder (an elder who has one: unchanged, below, with its id).
        if (!elder) throw errors.notFound('Elder with this ID number');
        const { idNumber: _id, ...application } = w.data;
        const filed = await fileApplication(p, { elderId: elder.id, ...application }, now).catch((e: unknown) => {
          throw e instanceof AppError ? inWebhookBody(e) : e;
        });
        return { status: 'applied', elderId: elder.id, applicationId: filed.id };
      }
    }
  } catch (e) {
    if (e instanceof AppError && e.code === 'APPLICATION_EXISTS') {
      const openId = e.details.find((d) => d.id !== undefined)?.id;
      return { status: 'unchanged', ...(elder && { elderId: elder.id }), ...(openId !== undefined && { applicationId: String(openId) }), detail: 'the elder already has an open care-bed application' };
    }
    if (e instanceof AppError && e.code === 'ALREADY_DECEASED') return { status: 'unchanged', ...(elder && { elderId: elder.id }), detail: e.message };
    if (e instanceof AppError && e.code === 'ELDER_EXISTS') return { status: 'unchanged', ...(elder && { elderId: elder.id }) };
    throw e;
  }
}
