import { Webhook } from 'standardwebhooks';
import { config } from '../lib/config.js';
import { webhookSecrets } from './webhook-secret.js';

/** Posts one event to the platform, signed as Standard Webhooks says; any non-2xx is a failure. */
export type Sender = (payload: { id: string } & Record<string, unknown>, now: Date) => Promise<void>;

export class DeliveryFailed extends Error {
  override readonly name = 'DeliveryFailed';
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The platform's URL, if deliveries may go there: https, or http to this machine only (the local
 * reference receiver and tests). Events carry names, ID-number fingerprints and care details,
 * which never cross a network in clear text; the stack refuses an http URL at synth as well.
 *
 * @throws DeliveryFailed when it is unset, not a URL, or http to another host (the event is
 *   retried and, if nobody fixes the setting, parked as a dead letter, which raises an alarm).
 */
export function platformUrl(value: string | undefined): URL {
  if (!value) throw new DeliveryFailed('no platform URL is configured (PLATFORM_URL)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DeliveryFailed('PLATFORM_URL is not a URL');
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url;
  throw new DeliveryFailed(`PLATFORM_URL must be https (got ${url.protocol} to ${url.hostname}): events carry personal data`);
}

export const postToPlatform: Sender = async (payload, now) => {
  const url = platformUrl(config.platformUrl());
  const body = JSON.stringify(payload);
  // One signature per secret in force (two during a rotation), space-separated as Standard Webhooks says.
  const signature = (await webhookSecrets('outbound')).map((secret) => new Webhook(secret).sign(payload.id, now, body)).join(' ');
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'county-eldercare-platform-link/1',
      'webhook-id': payload.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
    signal: AbortSignal.timeout(config.platformTimeoutMs()),
  });
  // The body is not read: it is the platform's, and may echo personal data.
  await res.body?.cancel();
  if (!res.ok) throw new DeliveryFailed(`platform answered ${res.status}`);
};
