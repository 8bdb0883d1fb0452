import { Webhook } from 'standardwebhooks';
import { config } from '../lib/config.js';
import { webhookSecret } from './webhook-secret.js';

/** Posts one event to the platform, signed as Standard Webhooks says; any non-2xx is a failure. */
export type Sender = (payload: { id: string } & Record<string, unknown>, now: Date) => Promise<void>;

export class DeliveryFailed extends Error {
  override readonly name = 'DeliveryFailed';
}

export const postToPlatform: Sender = async (payload, now) => {
  const url = config.platformUrl();
  if (!url) throw new DeliveryFailed('no platform URL is configured (PLATFORM_URL)');
  const body = JSON.stringify(payload);
  const signature = new Webhook(await webhookSecret('outbound')).sign(payload.id, now, body);
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
