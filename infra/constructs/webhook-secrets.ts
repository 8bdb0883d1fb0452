import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/**
 * The value a webhook secret the stack creates holds until an operator puts the platform's: not a
 * `whsec_` secret, so the functions refuse it (functions/platform/webhook-secret.ts) and
 * `npm run check-secrets` fails on it. Not a secret itself: it may sit in the template.
 */
export const UNSET_WEBHOOK_SECRET = 'UNSET: put the whsec_ secret agreed with the platform here';

/** Where each webhook secret comes from: an existing secret (ARN), or one the stack creates holding the marker. */
export type WebhookSecretSource = { readonly arn: string } | { readonly create: true };

/** Stages that hold real personal data: their webhook secrets are never the stack's. */
const productionStages = new Set(['prod', 'production']);

/**
 * Decides, at synth, where the two webhook secrets come from. Why imported in production: a secret
 * the stack generates is Secrets Manager's random text (not `whsec_`), which the platform never
 * agreed to; a secret the stack creates with a marker is safe but still needs a manual step
 * someone could forget. Imported by ARN, production has no secret of the stack's at all: the
 * operators create both with the platform's values before the first deploy (README, deployment
 * guide), and `npm run check-secrets` proves afterwards that both hold `whsec_` values.
 *
 * @param stage `-c stage=...` (`prod` or `production` is production)
 * @param arns complete ARNs of existing secrets (`-c platformWebhookSecretArn=... -c platformDeliverySecretArn=...`)
 * @throws when a production stage lacks either ARN, or an ARN is not a Secrets Manager ARN of the stack's partition
 */
export function webhookSecretSources(stage: string, arns: { readonly inbound?: string; readonly outbound?: string }, partition: 'aws' | 'aws-cn'): { inbound: WebhookSecretSource; outbound: WebhookSecretSource } {
  const context = { inbound: 'platformWebhookSecretArn', outbound: 'platformDeliverySecretArn' } as const;
  const source = (direction: 'inbound' | 'outbound'): WebhookSecretSource => {
    const arn = arns[direction];
    if (arn === undefined || arn === '') {
      if (productionStages.has(stage)) {
        throw new Error(`stage ${stage}: the platform's webhook secrets are never created by the stack in production; create the secret with the platform's whsec_ value and give -c ${context[direction]}=arn:${partition}:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX`);
      }
      return { create: true };
    }
    if (!new RegExp(`^arn:${partition}:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$`).test(arn)) {
      throw new Error(`${context[direction]} must be the complete ARN of a Secrets Manager secret in partition ${partition} (ending in -XXXXXX); got ${JSON.stringify(arn)}`);
    }
    return { arn };
  };
  return { inbound: source('inbound'), outbound: source('outbound') };
}

/** A webhook secret from its source: imported, or created holding the marker (never generated). */
export function webhookSecret(scope: Construct, id: string, description: string, from: WebhookSecretSource): secretsmanager.ISecret {
  if ('arn' in from) return secretsmanager.Secret.fromSecretCompleteArn(scope, id, from.arn);
  const secret = new secretsmanager.Secret(scope, id, { description, secretStringValue: SecretValue.unsafePlainText(UNSET_WEBHOOK_SECRET), removalPolicy: RemovalPolicy.RETAIN });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: 'The secret is agreed with the city platform and rotated together with it by its operators; automatic rotation would break delivery.' });
  return secret;
}
