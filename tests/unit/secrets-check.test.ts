import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UNSET_WEBHOOK_SECRET, webhookSecretSources } from '../../infra/constructs/webhook-secrets.js';
import { checkWebhookSecrets, secretIdsFromOutputs } from '../../scripts/secrets-check.js';

// Issue 15, point 7: a generated placeholder (not in whsec_ form) is never used in production.
const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;
const arn = (partition = 'aws', name = 'eldercare/platform-inbound-AbC123') => `arn:${partition}:secretsmanager:cn-northwest-1:123456789012:secret:${name}`;

describe('npm run check-secrets (scripts/secrets-check.ts)', () => {
  it('passes whsec_ secrets, one or two during a rotation, and fails the stack\'s marker, a generated value and an unreadable secret, never printing a value', async () => {
    const generated = 'x%Vb8#^mJq2!Lr@9d&Tz*Kc5Pw$Ne7Gh';
    const store: Record<string, string> = { good: whsec(), rotating: `${whsec()} ${whsec()}`, marker: UNSET_WEBHOOK_SECRET, generated };
    const read = async (id: string) => {
      if (!(id in store)) throw Object.assign(new Error('Secrets Manager can\'t find the specified secret.'), { name: 'ResourceNotFoundException' });
      return store[id]!;
    };
    const verdicts = await checkWebhookSecrets(['good', 'rotating', 'marker', 'generated', 'missing'], read);
    expect(verdicts.map((v) => [v.id, v.ok])).toEqual([['good', true], ['rotating', true], ['marker', false], ['generated', false], ['missing', false]]);
    expect(verdicts[1]!.message).toMatch(/2 whsec_ secrets.*rotation/);
    expect(verdicts[2]!.message).toMatch(/not a whsec_ secret/);
    expect(verdicts[4]!.message).toBe('could not be read (ResourceNotFoundException)');
    const printed = JSON.stringify(verdicts);
    // The marker is no secret (it sits in the template); every other value must stay unprinted.
    for (const value of [store.good!, store.rotating!, generated]) for (const part of value.split(' ')) expect(printed).not.toContain(part);
  });

  it('reads the two secret ARNs from cdk deploy\'s outputs file, and says when they are missing', () => {
    const outputs = { Eldercare: { PlatformWebhookSecretArn: arn(), PlatformDeliverySecretArn: arn('aws', 'out-XyZ789'), ApiUrl: 'https://x' } };
    expect(secretIdsFromOutputs(outputs, 'Eldercare')).toEqual([arn(), arn('aws', 'out-XyZ789')]);
    expect(() => secretIdsFromOutputs({ Eldercare: { ApiUrl: 'https://x' } }, 'Eldercare')).toThrow(/PlatformWebhookSecretArn/);
    expect(() => secretIdsFromOutputs(outputs, 'Other')).toThrow(/Other/);
  });
});

describe('where the stack takes its webhook secrets from (infra/constructs/webhook-secrets.ts)', () => {
  it('refuses a production stage without both secrets imported by ARN', () => {
    expect(() => webhookSecretSources('prod', {}, 'aws-cn')).toThrow(/never created by the stack in production.*platformWebhookSecretArn=arn:aws-cn:secretsmanager/);
    expect(() => webhookSecretSources('production', { inbound: arn('aws-cn') }, 'aws-cn')).toThrow(/platformDeliverySecretArn/);
  });

  it('imports them in production, and creates marked ones elsewhere', () => {
    expect(webhookSecretSources('prod', { inbound: arn('aws-cn'), outbound: arn('aws-cn', 'out-XyZ789') }, 'aws-cn')).toEqual({ inbound: { arn: arn('aws-cn') }, outbound: { arn: arn('aws-cn', 'out-XyZ789') } });
    expect(webhookSecretSources('dev', {}, 'aws')).toEqual({ inbound: { create: true }, outbound: { create: true } });
  });

  it.each([
    ['another partition', arn('aws')],
    ['a partial ARN (no -XXXXXX suffix)', 'arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:eldercare/inbound'],
    ['a name', 'eldercare/platform-inbound'],
    ['another service', 'arn:aws-cn:ssm:cn-northwest-1:123456789012:parameter/x-AbC123'],
  ])('refuses %s', (_, bad) => {
    expect(() => webhookSecretSources('prod', { inbound: bad, outbound: arn('aws-cn', 'out-XyZ789') }, 'aws-cn')).toThrow(/complete ARN of a Secrets Manager secret in partition aws-cn/);
  });
});
