import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { config } from '../lib/config.js';

/**
 * The Standard Webhooks secrets shared with the platform: `inbound` verifies what it sends us,
 * `outbound` signs what we deliver (two secrets, so one leaking can't forge the other way).
 * Locally they are environment variables (from the git-ignored key folder); in AWS they are read
 * from Secrets Manager through Powertools Parameters, cached for five minutes so a rotated
 * secret is picked up without a deploy.
 */
const names = {
  inbound: { value: 'PLATFORM_WEBHOOK_SECRET', arn: 'PLATFORM_SECRET_ARN' },
  outbound: { value: 'PLATFORM_DELIVERY_SECRET', arn: 'PLATFORM_DELIVERY_SECRET_ARN' },
} as const;

/**
 * A Standard Webhooks secret: `whsec_` and the base64 of at least 24 random bytes (the
 * specification asks for 24 to 64). Anything else is a placeholder: Secrets Manager's generated
 * value on a first deploy, a copy-paste without the prefix, an empty string.
 */
const WHSEC = /^whsec_(?=(?:[A-Za-z0-9+/]{4}){8})[A-Za-z0-9+/]+={0,2}$/;

/** The stored value is not a usable secret: the function refuses to verify or sign with it. */
export class WebhookSecretInvalid extends Error {
  override readonly name = 'WebhookSecretInvalid';
}

/**
 * Parses a stored secret value: one `whsec_` secret, or during a rotation two or more separated by
 * white space, the new one first. Both sides accept any of them while they overlap: we verify an
 * inbound message against each, and sign deliveries with each (Standard Webhooks lets the
 * `webhook-signature` header carry several signatures; a receiver accepts the message when one
 * matches), so the platform can switch at its own moment. Rotation: put "new old", wait until
 * the platform has switched, then put "new".
 *
 * @throws WebhookSecretInvalid when the value is empty or any part is not a `whsec_` secret
 *   (its text is never in the message).
 */
export function parseWebhookSecrets(value: string, direction: string): string[] {
  const parts = value.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) throw new WebhookSecretInvalid(`The ${direction} platform secret is empty`);
  parts.forEach((p, i) => {
    if (!WHSEC.test(p)) throw new WebhookSecretInvalid(`The ${direction} platform secret (part ${i + 1} of ${parts.length}) is not a whsec_ secret of at least 24 bytes: a placeholder is never used`);
  });
  return parts;
}

/** The secrets in force for `direction`, newest first (see parseWebhookSecrets). */
export async function webhookSecrets(direction: keyof typeof names = 'inbound'): Promise<string[]> {
  const n = names[direction];
  const from = config.platformSecret(n.value, n.arn);
  if ('value' in from) return parseWebhookSecrets(from.value, direction);
  const secret = await getSecret(from.arn, { maxAge: 300 });
  return parseWebhookSecrets(typeof secret === 'string' ? secret : '', direction);
}
