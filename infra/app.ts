import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkTemplate } from './rules.js';
import type { IdentitySettings } from './constructs/identity.js';
import { EldercareStack } from './stack.js';

/**
 * The environment for a `cdk synth` of the global stack from a process that may carry a region
 * (the local stack puts cn-north-1 in AWS_REGION for its functions; a China region there would
 * make the CLI's default region, hence the partition, China's). Used by the synth test and the
 * benchmark; a real deploy sets its region on purpose.
 */
export function globalSynthEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { AWS_REGION: _r, AWS_DEFAULT_REGION: _d, CDK_DEFAULT_REGION: _c, ...rest } = env;
  return { ...rest, CDK_DISABLE_VERSION_CHECK: '1' };
}

export function buildApp(app = new App()): { app: App; stack: EldercareStack } {
  const context = (name: string): string | undefined => {
    const v: unknown = app.node.tryGetContext(name);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const list = (name: string) => context(name)?.split(',').map((s) => s.trim()).filter(Boolean);
  const number = (name: string) => (context(name) === undefined ? undefined : Number(context(name)));
  // The partition: -c partition=aws-cn, or a China region given (-c region=cn-northwest-1, or the CLI's default region).
  const region = context('region') ?? process.env.CDK_DEFAULT_REGION;
  const partition = context('partition') ?? (region?.startsWith('cn-') ? 'aws-cn' : 'aws');
  if (partition !== 'aws' && partition !== 'aws-cn') throw new Error(`partition must be aws or aws-cn; got ${partition}`);
  // Two OIDC issuers instead of Cognito (required in aws-cn), one per realm (shared/auth/realms.ts):
  // public (families, meal-site devices, the platform's account):
  //   -c oidcIssuer=https://... -c oidcJwksUri=https://... -c oidcWebClientId=... [-c oidcAudience=id1,id2]
  //   [-c claimRoles=realm_access.roles -c claimCounty=county ...]
  // staff (county, township and institution staff; the realm must require TOTP):
  //   -c staffOidcIssuer=https://... -c staffOidcJwksUri=https://... -c staffOidcWebClientId=... [-c staffOidcAudience=...]
  //   [-c staffClaimRoles=... ...; each unset staff claim name is the public realm's]
  const claimKeys = ['roles', 'county', 'township', 'site', 'institution'] as const;
  const claimsOf = (prefix: string) => Object.fromEntries(claimKeys.flatMap((k) => {
    const v = context(`${prefix}${prefix ? 'C' : 'c'}laim${k[0]!.toUpperCase()}${k.slice(1)}`);
    return v ? [[k, v]] : [];
  }));
  const issuerOf = (prefix: '' | 'staff') => {
    const name = (n: string) => (prefix ? `${prefix}O${n.slice(1)}` : n);
    return { issuer: context(name('oidcIssuer')) ?? '', jwksUri: context(name('oidcJwksUri')) ?? '', webClientId: context(name('oidcWebClientId')) ?? '', audience: list(name('oidcAudience')) ?? [] };
  };
  const publicIssuer = issuerOf('');
  const staffIssuer = issuerOf('staff');
  if (!!publicIssuer.issuer !== !!staffIssuer.issuer) {
    throw new Error(`An OIDC identity provider needs two issuers, staff and public (families and devices), each with its own rules: give ${publicIssuer.issuer ? 'staffOidcIssuer, staffOidcJwksUri and staffOidcWebClientId' : 'oidcIssuer, oidcJwksUri and oidcWebClientId'} too`);
  }
  const publicClaims = claimsOf('');
  const identity: IdentitySettings = publicIssuer.issuer
    ? { kind: 'oidc', public: { ...publicIssuer, claims: publicClaims }, staff: { ...staffIssuer, claims: { ...publicClaims, ...claimsOf('staff') } } }
    : { kind: 'cognito' };
  const emails = list('alarmEmail');
  const httpsUrls = list('alarmUrl');
  const stack = new EldercareStack(app, 'Eldercare', {
    description: 'County elderly-care services: meal assistance, care beds, platform link',
    partition,
    identity,
    // cdk deploy -c platformUrl=https://... (the platform's webhook URL for this county)
    ...(context('platformUrl') && { platformUrl: context('platformUrl') }),
    // -c stage=prod requires the webhook secrets by ARN (infra/constructs/webhook-secrets.ts):
    // -c platformWebhookSecretArn=arn:... -c platformDeliverySecretArn=arn:...
    ...(context('stage') && { stage: context('stage') }),
    webhookSecretArns: {
      ...(context('platformWebhookSecretArn') && { inbound: context('platformWebhookSecretArn') }),
      ...(context('platformDeliverySecretArn') && { outbound: context('platformDeliverySecretArn') }),
    },
    // -c alarmEmail=duty@mzj.example.gov.cn,it@... -c alarmUrl=https://...
    alarmRecipients: { ...(emails && { emails }), ...(httpsUrls && { httpsUrls }) },
    ...(number('deliveryConcurrency') !== undefined && { deliveryConcurrency: number('deliveryConcurrency') }),
    ...(number('tableMaxRequestUnits') !== undefined && { tableMaxRequestUnits: number('tableMaxRequestUnits') }),
    ...(context('backupCopyVaultArn') && { backupCopyVaultArn: context('backupCopyVaultArn') }),
    // -c webDomain=yanglao.example.gov.cn with -c webCertificateArn=<ACM, us-east-1> (global) or
    // -c webIamCertificateId=<IAM server certificate> (China: required there, ICP-filed).
    ...(context('webDomain') && {
      webDomain: { name: context('webDomain')!, ...(context('webCertificateArn') && { acmCertificateArn: context('webCertificateArn') }), ...(context('webIamCertificateId') && { iamCertificateId: context('webIamCertificateId') }) },
    }),
    ...(number('concurrencyAlarmAt') !== undefined && { concurrencyAlarmAt: number('concurrencyAlarmAt') }),
    ...(process.env.CDK_DEFAULT_ACCOUNT && { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }),
  });
  // cdk-nag 3: AWS Solutions checks run at synth; a finding fails `cdk synth`.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The pages go into the stack as an asset: build them first when web/ changed.
  const { ensureWebBuilt } = await import('../scripts/local/build-web.js');
  await ensureWebBuilt((line) => console.error(line));
  const { app, stack } = buildApp();
  const assembly = app.synth();
  // Our own rules (infra/rules.ts), beside cdk-nag's: a finding fails `cdk synth` as nag's do.
  const findings = checkTemplate(assembly.getStackArtifact(stack.artifactId).template);
  if (findings.length) {
    for (const f of findings) console.error(`[${f.rule}] ${f.resource}: ${f.message}`);
    process.exit(1);
  }
}
