import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

/**
 * The Standard Webhooks secret shared with the platform. Locally it is an environment variable
 * (from the git-ignored key folder); in AWS it is read from Secrets Manager through Powertools
 * Parameters, which caches it for five minutes so a rotated secret is picked up without a deploy.
 */
export async function webhookSecret(): Promise<string> {
  const local = process.env.PLATFORM_WEBHOOK_SECRET;
  if (local) return local;
  const arn = process.env.PLATFORM_SECRET_ARN;
  if (!arn) throw new Error('Missing environment variable PLATFORM_SECRET_ARN');
  const secret = await getSecret(arn, { maxAge: 300 });
  if (typeof secret !== 'string' || !secret) throw new Error('The platform webhook secret is empty');
  return secret;
}
