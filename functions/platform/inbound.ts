import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { Principal } from '#shared/auth/principal.js';
import { AppError, errors } from '#shared/http/errors.js';
import { platformWebhook, type PlatformWebhook } from '#shared/schemas/platform.js';
import { logger } from '../lib/powertools.js';
import { cancelBookingsFrom } from '../meals/bookings.js';
import { findByIdNumber, registerElder, reportDeceased, updateElder } from '../registry/elders.js';
import * as store from './store.js';
import { webhookSecret } from './webhook-secret.js';

type Outcome = { status: 'applied' | 'duplicate' | 'unchanged'; elderId?: string; detail?: string };

/**
 * A webhook from the smart elderly-care platform: verified (signature and a timestamp within
 * 5 minutes, by the Standard Webhooks reference library), ignored when its webhook-id was
 * already processed, then applied through the registry's own use cases, which makes applying
 * idempotent too (an enrolment of someone registered, a death already recorded: unchanged).
 */
export async function receiveWebhook(rawBody: string, headers: Readonly<Record<string, string | undefined>>, now: Date): Promise<Outcome> {
  const h = { 'webhook-id': headers['webhook-id'] ?? '', 'webhook-timestamp': headers['webhook-timestamp'] ?? '', 'webhook-signature': headers['webhook-signature'] ?? '' };
  try {
    new Webhook(await webhookSecret()).verify(rawBody, h);
  } catch (e) {
    if (!(e instanceof WebhookVerificationError)) throw e;
    throw errors.unauthorized(`Webhook not accepted: ${e.message}.`);
  }
  const id = h['webhook-id'];
  if (await store.webhookSeen(id)) return { status: 'duplicate' };

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw errors.validation([{ path: '', message: 'body is not valid JSON' }]);
  }
  const parsed = platformWebhook.safeParse(body);
  if (!parsed.success) throw errors.validation(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  const outcome = await apply(parsed.data, id, now);
  await store.recordWebhook(id, parsed.data.type, outcome.status, now);
  logger.info('platform webhook', { type: parsed.data.type, status: outcome.status });
  return outcome;
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
    }
  } catch (e) {
    if (e instanceof AppError && e.code === 'ALREADY_DECEASED') return { status: 'unchanged', ...(elder && { elderId: elder.id }), detail: e.message };
    if (e instanceof AppError && e.code === 'ELDER_EXISTS') return { status: 'unchanged', ...(elder && { elderId: elder.id }) };
    throw e;
  }
}
