import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { inject } from 'vitest';
import { localPlatformSecret } from '../../scripts/local/keys.js';
import { api } from './api.js';

/** How a test may bend a webhook: its id, its timestamp, another secret, or a body changed after signing. */
export interface WebhookOptions { id?: string; at?: Date; key?: string; tamper?: (body: string) => string }

let secret: string | undefined;
/** The local stack's inbound secret (read once, in the test worker). */
const platformSecret = () => (secret ??= localPlatformSecret(inject('localDir')));

/** Sends a webhook signed as the platform signs it (Standard Webhooks reference library). */
export function sendWebhook(payload: unknown, opts: WebhookOptions = {}) {
  return sendRawWebhook(JSON.stringify(payload), opts);
}

/** The same, with the body's exact text: what is signed is what is sent. */
export function sendRawWebhook(body: string, opts: WebhookOptions = {}) {
  const id = opts.id ?? `msg_${randomUUID()}`;
  const at = opts.at ?? new Date();
  const signature = new Webhook(opts.key ?? platformSecret()).sign(id, at, body);
  return api('POST', '/v1/platform/webhooks', {
    raw: opts.tamper ? opts.tamper(body) : body,
    headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature },
  });
}
