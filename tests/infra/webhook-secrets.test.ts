import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { UNSET_WEBHOOK_SECRET } from '../../infra/constructs/webhook-secrets.js';
import { checkTemplate, secretsNotGenerated, type TemplateJson } from '../../infra/rules.js';

// Issue 15, point 7: a generated placeholder (not in whsec_ form) is never used in production.
const noBundling = { 'aws:cdk:bundling-stacks': [] };
const inboundArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:eldercare/platform-inbound-AbC123';
const outboundArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:eldercare/platform-delivery-XyZ789';
const envOf = (t: Template, name: string) => Object.values(t.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables?.[name]).filter(Boolean);

describe('outside production', () => {
  const t = Template.fromStack(buildApp(new App({ context: noBundling })).stack);

  it('creates both secrets holding the unusable marker, never a generated value', () => {
    const secrets = Object.values(t.findResources('AWS::SecretsManager::Secret')).map((s) => s.Properties);
    expect(secrets).toHaveLength(2);
    for (const s of secrets) {
      expect(s.SecretString).toBe(UNSET_WEBHOOK_SECRET);
      expect(s.GenerateSecretString).toBeUndefined();
    }
    expect(secretsNotGenerated(t.toJSON() as TemplateJson)).toEqual([]);
    // And says where they are, for npm run check-secrets.
    expect(Object.keys(t.findOutputs('*'))).toEqual(expect.arrayContaining(['PlatformWebhookSecretArn', 'PlatformDeliverySecretArn']));
  });

  it('our rule catches a secret whose value Secrets Manager generates', () => {
    const bad = structuredClone(t.toJSON()) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [id, secret] = Object.entries(bad.Resources).find(([, r]) => r.Type === 'AWS::SecretsManager::Secret')!;
    delete secret.Properties.SecretString;
    secret.Properties.GenerateSecretString = {};
    expect(secretsNotGenerated(bad as TemplateJson)).toEqual([expect.objectContaining({ rule: 'secret-generated', resource: id })]);
    expect(checkTemplate(bad as TemplateJson).map((f) => f.rule)).toContain('secret-generated');
  });
});

describe('in production (-c stage=prod)', () => {
  it('refuses to synthesize unless both secrets are given by ARN', () => {
    expect(() => buildApp(new App({ context: { ...noBundling, stage: 'prod' } }))).toThrow(/never created by the stack in production.*platformWebhookSecretArn/);
    expect(() => buildApp(new App({ context: { ...noBundling, stage: 'prod', platformWebhookSecretArn: inboundArn } }))).toThrow(/platformDeliverySecretArn/);
  });

  it('imports them: no secret of the stack\'s, the functions read the given ARNs and may read only those', () => {
    const t = Template.fromStack(buildApp(new App({ context: { ...noBundling, stage: 'prod', platformWebhookSecretArn: inboundArn, platformDeliverySecretArn: outboundArn } })).stack);
    expect(Object.keys(t.findResources('AWS::SecretsManager::Secret'))).toEqual([]);
    expect(envOf(t, 'PLATFORM_SECRET_ARN')).toEqual([inboundArn]);
    expect(envOf(t, 'PLATFORM_DELIVERY_SECRET_ARN')).toEqual([outboundArn]);
    const reads = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue'));
    expect(reads.map((s: { Resource: unknown }) => s.Resource).sort()).toEqual([inboundArn, outboundArn].sort());
    expect(checkTemplate(t.toJSON() as TemplateJson)).toEqual([]);
  });
});
