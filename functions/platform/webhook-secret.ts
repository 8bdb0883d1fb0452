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

export async function webhookSecret(direction: keyof typeof names = 'inbound'): Promise<string> {
  const n = names[direction];
  const from = config.platformSecret(n.value, n.arn);
  if ('value' in from) return from.value;
  const secret = await getSecret(from.arn, { maxAge: 300 });
  if (typeof secret !== 'string' || !secret) throw new Error(`The ${direction} platform secret is empty`);
  return secret;
}
