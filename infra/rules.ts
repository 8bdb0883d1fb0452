/**
 * Our own synth-time rules, beside cdk-nag's: what nag's packs don't look at and a county's
 * deployment must not lose. Each rule reads the synthesized template (plain JSON, so it works on
 * any partition's output) and returns findings; the synth tests require none for our stack and
 * prove each rule catches a bad resource.
 */
export interface Finding {
  readonly rule: string;
  readonly resource: string;
  readonly message: string;
}

interface Resource {
  readonly Type: string;
  readonly DeletionPolicy?: string;
  readonly Properties?: Record<string, unknown>;
}
export interface TemplateJson {
  readonly Resources: Record<string, Resource>;
}

const ofType = (t: TemplateJson, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
/** The logical id a `{Ref: X}` or `{'Fn::GetAtt': [X, ...]}` points at (undefined for literals). */
const refOf = (v: unknown): string | undefined => {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string') return o.Ref;
    if (Array.isArray(o['Fn::GetAtt'])) return String(o['Fn::GetAtt'][0]);
  }
  return undefined;
};
const mentions = (v: unknown, id: string) => JSON.stringify(v ?? null).includes(`"${id}"`);

/**
 * Alarm topics must let CloudWatch publish: an encrypted topic whose key is the AWS-managed
 * `alias/aws/sns` (whose policy can't grant CloudWatch) or a key without a CloudWatch grant
 * drops every alarm silently. And an alarm with no action reaches no one.
 */
export function alarmsReachSomeone(t: TemplateJson): Finding[] {
  const findings: Finding[] = [];
  const alarmTopics = new Set<string>();
  for (const [id, alarm] of ofType(t, 'AWS::CloudWatch::Alarm')) {
    const actions = (alarm.Properties?.AlarmActions as unknown[] | undefined) ?? [];
    if (!actions.length) findings.push({ rule: 'alarm-action', resource: id, message: 'alarm has no action' });
    for (const a of actions) if (refOf(a)) alarmTopics.add(refOf(a)!);
  }
  for (const topicId of alarmTopics) {
    const topic = t.Resources[topicId];
    if (topic?.Type !== 'AWS::SNS::Topic') continue;
    const keyRef = topic.Properties?.KmsMasterKeyId;
    if (keyRef === undefined) continue; // unencrypted topics are nag's SNS2, not ours
    const keyId = refOf(keyRef);
    const key = keyId ? t.Resources[keyId] : undefined;
    const statements = ((key?.Properties?.KeyPolicy as { Statement?: { Principal?: unknown; Action?: unknown }[] } | undefined)?.Statement) ?? [];
    const grantsCloudWatch = statements.some((s) => JSON.stringify(s.Principal ?? '').includes('cloudwatch.amazonaws.com') && JSON.stringify(s.Action ?? '').includes('kms:GenerateDataKey'));
    if (!grantsCloudWatch) findings.push({ rule: 'alarm-topic-key', resource: topicId, message: 'the alarm topic\'s key does not let CloudWatch publish (an AWS-managed key never can)' });
  }
  return findings;
}

/**
 * Scheduled jobs: an on-failure destination and a heartbeat alarm (Invocations, missing data
 * breaching), so a job that fails or stops running is noticed.
 */
export function scheduledJobsWatched(t: TemplateJson): Finding[] {
  const findings: Finding[] = [];
  const scheduled = new Set(ofType(t, 'AWS::Events::Rule').flatMap(([, r]) => ((r.Properties?.Targets as { Arn?: unknown }[] | undefined) ?? []).map((x) => refOf(x.Arn)).filter((x): x is string => !!x)));
  for (const fnId of scheduled) {
    const onFailure = ofType(t, 'AWS::Lambda::EventInvokeConfig').some(([, c]) => mentions(c.Properties?.FunctionName, fnId) && (c.Properties?.DestinationConfig as { OnFailure?: unknown } | undefined)?.OnFailure);
    if (!onFailure) findings.push({ rule: 'job-on-failure', resource: fnId, message: 'scheduled job has no on-failure destination' });
    const heartbeat = ofType(t, 'AWS::CloudWatch::Alarm').some(([, a]) => a.Properties?.MetricName === 'Invocations' && mentions(a.Properties?.Dimensions, fnId) && a.Properties?.TreatMissingData === 'breaching');
    if (!heartbeat) findings.push({ rule: 'job-heartbeat', resource: fnId, message: 'scheduled job has no heartbeat alarm (Invocations, missing data breaching)' });
  }
  return findings;
}

/**
 * Limits: every job (scheduled, stream or queue) has reserved concurrency; queue triggers have a
 * maximum concurrency; functions behind the HTTP API end before its 30 s integration limit.
 */
export function limitsSet(t: TemplateJson): Finding[] {
  const findings: Finding[] = [];
  const fns = Object.fromEntries(ofType(t, 'AWS::Lambda::Function'));
  const jobIds = new Set<string>([
    ...ofType(t, 'AWS::Events::Rule').flatMap(([, r]) => ((r.Properties?.Targets as { Arn?: unknown }[] | undefined) ?? []).map((x) => refOf(x.Arn) ?? '')),
    ...ofType(t, 'AWS::Lambda::EventSourceMapping').map(([, m]) => refOf(m.Properties?.FunctionName) ?? ''),
  ].filter((id) => id in fns));
  for (const id of jobIds) {
    if (typeof fns[id]!.Properties?.ReservedConcurrentExecutions !== 'number') findings.push({ rule: 'job-reserved-concurrency', resource: id, message: 'job has no reserved concurrency' });
  }
  for (const [id, m] of ofType(t, 'AWS::Lambda::EventSourceMapping')) {
    const source = refOf(m.Properties?.EventSourceArn);
    const isQueue = source !== undefined && t.Resources[source]?.Type === 'AWS::SQS::Queue';
    if (isQueue && typeof (m.Properties?.ScalingConfig as { MaximumConcurrency?: unknown } | undefined)?.MaximumConcurrency !== 'number') {
      findings.push({ rule: 'queue-max-concurrency', resource: id, message: 'queue trigger has no maximum concurrency' });
    }
  }
  for (const [id, integration] of ofType(t, 'AWS::ApiGatewayV2::Integration')) {
    const fnId = Object.keys(fns).find((f) => mentions(integration.Properties?.IntegrationUri, f));
    const timeout = fnId ? Number(fns[fnId]!.Properties?.Timeout ?? 3) : 0;
    if (timeout >= 30) findings.push({ rule: 'http-timeout', resource: fnId ?? id, message: `function behind the HTTP API times out at ${timeout} s, not under the API's 30 s` });
  }
  return findings;
}

const cryptoAction = /^kms:(\*|Encrypt|Decrypt|ReEncrypt|GenerateDataKey|GenerateMac|VerifyMac|Sign)/;
const isAccountRoot = (principal: unknown) => {
  // ":root" closes both the literal ARN and CDK's Fn::Join of partition and account id.
  const p = JSON.stringify(principal ?? '');
  return p.includes(':root"') || p.includes('"AWS":{"Ref":"AWS::AccountId"}');
};

/**
 * Keys: no key lets the account as a whole (so any administrator) use it; who may use a key is
 * said in its policy (infra/constructs/keys.ts). Statements for `*` must be bound to a service
 * (kms:ViaService) or to CloudWatch.
 */
export function keysRestricted(t: TemplateJson): Finding[] {
  const findings: Finding[] = [];
  for (const [id, key] of ofType(t, 'AWS::KMS::Key')) {
    const statements = ((key.Properties?.KeyPolicy as { Statement?: { Principal?: unknown; Action?: unknown; Condition?: unknown }[] } | undefined)?.Statement) ?? [];
    for (const s of statements) {
      const actions = [s.Action].flat().map(String);
      if (!actions.some((a) => cryptoAction.test(a))) continue;
      if (isAccountRoot(s.Principal)) findings.push({ rule: 'key-account-use', resource: id, message: `the account root may use the key (${actions.join(', ')}): any administrator could decrypt` });
      if (JSON.stringify(s.Principal) === '{"AWS":"*"}' && !JSON.stringify(s.Condition ?? '').includes('kms:ViaService')) findings.push({ rule: 'key-anyone', resource: id, message: 'anyone may use the key, not bound to a service' });
    }
  }
  return findings;
}

/**
 * Tables (cdk-nag's DynamoDB rules read only AWS::DynamoDB::Table; TableV2 makes GlobalTable):
 * a customer-managed key, point-in-time recovery and deletion protection on every replica,
 * retained on stack deletion, and in a backup selection.
 */
export function tablesProtected(t: TemplateJson): Finding[] {
  const findings: Finding[] = [];
  const selections = ofType(t, 'AWS::Backup::BackupSelection').map(([, s]) => JSON.stringify(s.Properties ?? {}));
  for (const [id, table] of ofType(t, 'AWS::DynamoDB::GlobalTable')) {
    const p = table.Properties ?? {};
    const replicas = (p.Replicas as Record<string, unknown>[] | undefined) ?? [];
    if ((p.SSESpecification as { SSEType?: string } | undefined)?.SSEType !== 'KMS' || !replicas.length || replicas.some((r) => !(r.SSESpecification as { KMSMasterKeyId?: unknown } | undefined)?.KMSMasterKeyId)) {
      findings.push({ rule: 'table-key', resource: id, message: 'table is not encrypted with a customer-managed key' });
    }
    if (replicas.some((r) => (r.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled?: boolean } | undefined)?.PointInTimeRecoveryEnabled !== true)) findings.push({ rule: 'table-pitr', resource: id, message: 'point-in-time recovery is off' });
    if (replicas.some((r) => r.DeletionProtectionEnabled !== true)) findings.push({ rule: 'table-deletion-protection', resource: id, message: 'deletion protection is off' });
    if (table.DeletionPolicy !== 'Retain') findings.push({ rule: 'table-retain', resource: id, message: 'the table would be deleted with the stack' });
    if (!selections.some((s) => s.includes(`"${id}"`))) findings.push({ rule: 'table-backup', resource: id, message: 'the table is in no backup selection' });
  }
  return findings;
}

/** Roles whose accounts read personal data across an area or an institution (shared/auth/realms.ts, staff realm). */
const staffGroups = ['staff', 'institution'];

/**
 * Staff sign-in: a user pool holding staff or institution accounts (a group of those roles)
 * requires MFA, by TOTP only (an SMS code is not a second factor worth the name), and lets only
 * an administrator recover an account (no reset code by SMS or e-mail).
 */
export function staffPoolsGuarded(t: TemplateJson): Finding[] {
  const findings: Finding[] = [];
  const staffPools = new Set(ofType(t, 'AWS::Cognito::UserPoolGroup')
    .filter(([, g]) => staffGroups.includes(String(g.Properties?.GroupName)))
    .map(([, g]) => refOf(g.Properties?.UserPoolId))
    .filter((id): id is string => !!id));
  for (const id of staffPools) {
    const p = t.Resources[id]?.Properties ?? {};
    if (p.MfaConfiguration !== 'ON') findings.push({ rule: 'staff-mfa', resource: id, message: `a user pool holding staff has MFA ${String(p.MfaConfiguration ?? 'OFF')}, not ON` });
    const mfas = (p.EnabledMfas as string[] | undefined) ?? [];
    if (mfas.length !== 1 || mfas[0] !== 'SOFTWARE_TOKEN_MFA') findings.push({ rule: 'staff-mfa-totp', resource: id, message: `staff MFA must be TOTP only; enabled: ${mfas.join(', ') || 'none'}` });
    const recovery = ((p.AccountRecoverySetting as { RecoveryMechanisms?: { Name?: string }[] } | undefined)?.RecoveryMechanisms ?? []).map((m) => m.Name);
    if (recovery.length !== 1 || recovery[0] !== 'admin_only') findings.push({ rule: 'staff-recovery', resource: id, message: `staff accounts must be recovered by an administrator only; recovery: ${recovery.join(', ') || 'default (e-mail or SMS)'}` });
    if ((p.AdminCreateUserConfig as { AllowAdminCreateUserOnly?: boolean } | undefined)?.AllowAdminCreateUserOnly !== true) findings.push({ rule: 'staff-self-sign-up', resource: id, message: 'anyone could sign up to a user pool holding staff' });
  }
  return findings;
}

/** Callback URLs that are placeholders (CDK's default when none is given), never a real page. */
const placeholderCallback = /^https?:\/\/(www\.)?example\.(com|org|net)(\/|$)|localhost/;

/**
 * App clients: no implicit flow (tokens in the URL fragment), and no placeholder callback URL
 * (an address the bureau doesn't own would receive codes).
 */
export function appClientsSound(t: TemplateJson): Finding[] {
  const findings: Finding[] = [];
  for (const [id, c] of ofType(t, 'AWS::Cognito::UserPoolClient')) {
    const flows = (c.Properties?.AllowedOAuthFlows as string[] | undefined) ?? [];
    if (flows.includes('implicit')) findings.push({ rule: 'client-implicit-flow', resource: id, message: 'the app client allows the implicit flow' });
    for (const url of (c.Properties?.CallbackURLs as unknown[] | undefined) ?? []) {
      if (typeof url === 'string' && placeholderCallback.test(url)) findings.push({ rule: 'client-placeholder-callback', resource: id, message: `placeholder callback URL ${url}` });
    }
  }
  return findings;
}

/**
 * Webhook secrets (issue 15, point 7): no Secrets Manager secret the stack creates may be generated
 * (GenerateSecretString): a generated value is never a `whsec_` secret the platform agreed to,
 * and a placeholder must never reach production. The stack creates them holding a marker, or,
 * in production, imports them (infra/constructs/webhook-secrets.ts).
 */
export function secretsNotGenerated(t: TemplateJson): Finding[] {
  return ofType(t, 'AWS::SecretsManager::Secret')
    .filter(([, s]) => s.Properties?.GenerateSecretString !== undefined || s.Properties?.SecretString === undefined)
    .map(([id]) => ({ rule: 'secret-generated', resource: id, message: 'the secret\'s value is generated by Secrets Manager: a placeholder, not the whsec_ secret agreed with the platform' }));
}

export const rules = [alarmsReachSomeone, scheduledJobsWatched, limitsSet, keysRestricted, tablesProtected, staffPoolsGuarded, appClientsSound, secretsNotGenerated] as const;

/** Every finding of every rule. */
export const checkTemplate = (t: TemplateJson): Finding[] => rules.flatMap((rule) => rule(t));
