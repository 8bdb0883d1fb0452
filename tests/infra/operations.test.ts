import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { alarmsReachSomeone, checkTemplate, keysRestricted, limitsSet, scheduledJobsWatched, tablesProtected, type TemplateJson } from '../../infra/rules.js';
import { EldercareStack } from '../../infra/stack.js';
import { functionGroups, routeKey } from '../../shared/http/route.js';
import { jobNames, jobs, type JobTrigger } from '../../shared/jobs.js';
import { routeList } from '../../shared/routes/index.js';
import { tables } from '../../shared/tables.js';

// Issue 15, points 2 (alarms that reach someone) and 6 (limits). Bundling is skipped.
const noBundling = { 'aws:cdk:bundling-stacks': [] };
const { stack } = buildApp(new App({ context: { ...noBundling, alarmEmail: 'duty@mzj.example.gov.cn, it@mzj.example.gov.cn', alarmUrl: 'https://ops.example.gov.cn/alarm', deliveryConcurrency: '7' } }));
const template = Template.fromStack(stack);
const json = template.toJSON() as TemplateJson;
const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([id, a]) => ({ id, ...a.Properties }));
const fnIdOf = (constructId: string) => Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith(constructId) && !id.includes('Role') && !id.includes('Logs'))!;

describe('alarms reach someone', () => {
  it('encrypts the topic with a key of its own that lets this account\'s CloudWatch alarms publish', () => {
    const topic = Object.values(template.findResources('AWS::SNS::Topic'))[0]!.Properties;
    const keyId = topic.KmsMasterKeyId['Fn::GetAtt']?.[0] ?? topic.KmsMasterKeyId.Ref;
    const key = template.findResources('AWS::KMS::Key')[keyId]!.Properties;
    expect(key.EnableKeyRotation).toBe(true);
    const grant = key.KeyPolicy.Statement.find((s: { Principal?: { Service?: string } }) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(grant.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(grant.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(grant.Condition.ArnLike['aws:SourceArn'])).toMatch(/cloudwatch.*alarm:\*/);
  });

  it('subscribes the recipients given at deploy (e-mail and HTTPS), and warns when there are none', () => {
    const subs = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => [s.Properties.Protocol, s.Properties.Endpoint]);
    expect(subs.sort()).toEqual([['email', 'duty@mzj.example.gov.cn'], ['email', 'it@mzj.example.gov.cn'], ['https', 'https://ops.example.gov.cn/alarm']]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('No alarm recipient'));
    const bare = buildApp(new App({ context: noBundling })).stack;
    Annotations.fromStack(bare).hasWarning('*', Match.stringLikeRegexp('No alarm recipient'));
    expect(Template.fromStack(bare).findResources('AWS::SNS::Subscription')).toEqual({});
  });

  it('sends every alarm to the topic', () => {
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
    for (const a of alarms) expect(a.AlarmActions, a.id).toEqual([{ Ref: topicId }]);
  });

  it('watches the API: 5xx, a 4xx spike, a 401 spike from the access log, p99 latency', () => {
    const api = (name: string) => alarms.filter((a) => a.Namespace === 'AWS/ApiGateway' && a.MetricName === name);
    expect(api('5xx')).toHaveLength(1);
    expect(api('4xx')).toHaveLength(1);
    expect(api('Latency')[0]!.ExtendedStatistic).toBe('p99');
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.status = "401" }', MetricTransformations: [Match.objectLike({ MetricName: 'ApiUnauthorized', MetricNamespace: 'Eldercare' })] });
    expect(alarms.some((a) => a.MetricName === 'ApiUnauthorized')).toBe(true);
  });

  it('alarms on every function\'s errors, throttles and runs near its timeout (80 %)', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const ours = Object.entries(fns).filter(([, f]) => !String(f.Properties.Runtime).startsWith('python'));
    // Plus the authorizer (both realms' tokens).
    expect(ours).toHaveLength(functionGroups.length + jobNames.length + 1);
    for (const [id, f] of ours) {
      const on = (metric: string) => alarms.filter((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(`"${id}"`));
      expect(on('Errors'), id).toHaveLength(1);
      expect(on('Throttles'), id).toHaveLength(1);
      const near = on('Duration');
      expect(near, id).toHaveLength(1);
      expect(near[0]!.Threshold).toBe(Math.round(f.Properties.Timeout * 1000 * 0.8));
    }
  });

  it('alarms on account concurrency and on each table\'s throttles and system errors', () => {
    expect(alarms.filter((a) => a.MetricName === 'ConcurrentExecutions' && a.Namespace === 'AWS/Lambda' && !a.Dimensions)).toHaveLength(1);
    const systemErrors = alarms.filter((a) => JSON.stringify(a.Metrics ?? '').includes('SystemErrors'));
    expect(systemErrors).toHaveLength(Object.keys(tables).length);
  });

  it('gives each scheduled job an on-failure queue and a heartbeat that alarms when it does not run (missing data breaching)', () => {
    const scheduled = jobNames.filter((n) => jobs[n].trigger.kind === 'schedule');
    expect(scheduled.length).toBeGreaterThan(0);
    for (const name of scheduled) {
      const fnId = fnIdOf(jobs[name].id);
      const beat = alarms.filter((a) => a.MetricName === 'Invocations' && JSON.stringify(a.Dimensions).includes(`"${fnId}"`));
      expect(beat, name).toHaveLength(1);
      expect(beat[0]).toMatchObject({ TreatMissingData: 'breaching', ComparisonOperator: 'LessThanThreshold', Threshold: 1, EvaluationPeriods: 4 });
      const t: JobTrigger = jobs[name].trigger;
      // Four runs' worth for a 15-minute job; a day for a daily one.
      expect(beat[0]!.Period * 4).toBe(t.kind === 'schedule' && t.cron ? 86_400 : Math.max(3600, (t.kind === 'schedule' ? t.rateMinutes ?? 60 : 0) * 4 * 60));
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnId }, MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: Match.anyValue() } } });
      template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, DeadLetterConfig: Match.anyValue() })] });
    }
  });
});

describe('limits', () => {
  it('reserves concurrency for every job and caps the deliverer\'s queue trigger (configurable, default 5)', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    for (const name of jobNames) expect(fns[fnIdOf(jobs[name].id)]!.Properties.ReservedConcurrentExecutions, name).toBeGreaterThan(0);
    const deliverer = fnIdOf(jobs.platformDeliver.id);
    expect(fns[deliverer]!.Properties.ReservedConcurrentExecutions).toBe(7);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: deliverer }, ScalingConfig: { MaximumConcurrency: 7 } });
    const byDefault = Template.fromStack(buildApp(new App({ context: noBundling })).stack);
    byDefault.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 5 } });
    // The API's functions draw on the shared pool: none is reserved.
    for (const g of functionGroups) expect(fns[fnIdOf(`${g[0]!.toUpperCase()}${g.slice(1)}Function`)]!.Properties.ReservedConcurrentExecutions, g).toBeUndefined();
  });

  it('throttles each public and signed route on its own', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties;
    const open = routeList.filter((r) => r.access === 'public' || r.access === 'signed');
    expect(Object.keys(stage.RouteSettings).sort()).toEqual(open.map((r) => routeKey(r)).sort());
    for (const r of open) {
      const s = stage.RouteSettings[routeKey(r)];
      expect(s.ThrottlingRateLimit).toBeLessThan(stage.DefaultRouteSettings.ThrottlingRateLimit);
      expect(s.ThrottlingBurstLimit).toBeLessThan(stage.DefaultRouteSettings.ThrottlingBurstLimit);
    }
  });

  it('caps each table\'s on-demand throughput', () => {
    for (const t of Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))) {
      expect(t.Properties.WriteOnDemandThroughputSettings ?? t.Properties.Replicas[0].ReadOnDemandThroughputSettings).toBeDefined();
      expect(JSON.stringify(t.Properties)).toMatch(/MaxReadRequestUnits":4000/);
      expect(JSON.stringify(t.Properties)).toMatch(/MaxWriteRequestUnits":4000/);
    }
  });

  it('keeps every function behind the HTTP API under its 30 s limit', () => {
    expect(limitsSet(json).filter((f) => f.rule === 'http-timeout')).toEqual([]);
    const fns = template.findResources('AWS::Lambda::Function');
    for (const g of functionGroups) expect(fns[fnIdOf(`${g[0]!.toUpperCase()}${g.slice(1)}Function`)]!.Properties.Timeout, g).toBeLessThan(30);
  });

  it('refuses a platform URL that is not https, and a delivery concurrency SQS would refuse', () => {
    expect(() => new EldercareStack(new App(), 'A', { platformUrl: 'http://platform.example.cn/webhooks' })).toThrow(/https/);
    expect(() => new EldercareStack(new App(), 'B', { platformUrl: 'ftp://x' })).toThrow(/https/);
    expect(() => new EldercareStack(new App(), 'C', { deliveryConcurrency: 1 })).toThrow(/deliveryConcurrency/);
  });
});

describe('keys and backups (issue 15, point 5)', () => {
  const keys = template.findResources('AWS::KMS::Key');
  const keyNamed = (prefix: string) => Object.entries(keys).find(([id]) => id.startsWith(prefix))![1].Properties;
  const statements = (prefix: string) => keyNamed(prefix).KeyPolicy.Statement as { Sid?: string; Principal: unknown; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> }[];
  const crypto = /^kms:(\*|Encrypt|Decrypt|GenerateDataKey|GenerateMac|ReEncrypt)/;

  it('lets the account\'s administrators manage every key but use none', () => {
    for (const [id, k] of Object.entries(keys)) {
      const root = (k.Properties.KeyPolicy.Statement as { Principal: unknown; Action: string | string[] }[]).filter((st) => JSON.stringify(st.Principal).includes(':root'));
      expect(root.length, id).toBeGreaterThan(0);
      expect(root.flatMap((st) => [st.Action].flat()).filter((a) => crypto.test(a)), id).toEqual([]);
      expect(root.flatMap((st) => [st.Action].flat()), id).toContain('kms:Put*');
    }
  });

  it('names in the sealing key\'s policy only the functions that seal, each needing the county as encryption context', () => {
    const users = statements('PiiEncryptKey').filter((st) => [st.Action].flat().includes('kms:Decrypt'));
    const roles = users.map((st) => JSON.stringify(st.Principal).match(/"(\w+FunctionRole\w*)"/)?.[1]).sort();
    expect(roles.map((r) => r?.replace(/FunctionRole.*/, ''))).toEqual(['Platform', 'Registry']);
    for (const st of users) expect(st.Condition).toEqual({ Null: { 'kms:EncryptionContext:county': 'false' } });
  });

  it('names in the fingerprint key\'s policy only the functions that match ID numbers', () => {
    const users = statements('PiiHmacKey').filter((st) => [st.Action].flat().includes('kms:GenerateMac'));
    expect(users.map((st) => JSON.stringify(st.Principal).match(/"(\w+)FunctionRole/)?.[1]).sort()).toEqual(['Meals', 'Platform', 'Registry']);
  });

  it('encrypts every table with the tables\' key, usable only through DynamoDB by this account', () => {
    const tableKeyId = Object.keys(keys).find((id) => id.startsWith('TablesKey'))!;
    for (const t of Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))) {
      expect(t.Properties.Replicas[0].SSESpecification.KMSMasterKeyId).toEqual({ 'Fn::GetAtt': [tableKeyId, 'Arn'] });
    }
    const anyone = statements('TablesKey').filter((st) => JSON.stringify(st.Principal) === '{"AWS":"*"}');
    expect(anyone).toHaveLength(1);
    expect(JSON.stringify(anyone[0]!.Condition)).toMatch(/kms:ViaService.*dynamodb\./);
    expect(anyone[0]!.Condition!.StringEquals!['kms:CallerAccount']).toEqual({ Ref: 'AWS::AccountId' });
  });

  it('backs up every table daily and monthly into a vault under a compliance lock, copied to another account when given', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 }, EncryptionKeyArn: Match.anyValue() });
    const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0]!.Properties.BackupPlan;
    expect(plan.BackupPlanRule.map((r: { RuleName: string; Lifecycle: { DeleteAfterDays: number } }) => [r.RuleName, r.Lifecycle.DeleteAfterDays])).toEqual([['Daily', 35], ['Monthly', 366]]);
    expect(plan.BackupPlanRule.every((r: { CopyActions?: unknown[] }) => !r.CopyActions)).toBe(true);
    const selection = JSON.stringify(Object.values(template.findResources('AWS::Backup::BackupSelection'))[0]!.Properties);
    for (const id of Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))) expect(selection).toContain(id);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('No backup copy vault'));

    const copyVault = 'arn:aws-cn:backup:cn-north-1:222222222222:backup-vault:county-copy';
    const copied = Template.fromStack(buildApp(new App({ context: { ...noBundling, backupCopyVaultArn: copyVault } })).stack);
    const rules = Object.values(copied.findResources('AWS::Backup::BackupPlan'))[0]!.Properties.BackupPlan.BackupPlanRule;
    for (const r of rules) expect(r.CopyActions[0].DestinationBackupVaultArn).toBe(copyVault);
  });
});

describe('our synth rules (infra/rules.ts)', () => {
  it('find nothing in the stack', () => {
    expect(checkTemplate(json)).toEqual([]);
  });

  it('catch an alarm topic on the AWS-managed SNS key, an alarm with no action, an unwatched schedule, an unreserved job and an uncapped queue trigger', () => {
    const bad = new Stack(new App(), 'Bad');
    const topic = new sns.Topic(bad, 'T', { masterKey: kms.Alias.fromAliasName(bad, 'K', 'alias/aws/sns') });
    const ownKey = new kms.Key(bad, 'OwnKey');
    const topic2 = new sns.Topic(bad, 'T2', { masterKey: ownKey });
    const fn = new lambda.Function(bad, 'Job', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('export const handler=()=>{}') });
    new events.Rule(bad, 'R', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn)] });
    fn.addEventSource(new SqsEventSource(new sqs.Queue(bad, 'Q')));
    new cloudwatch.Alarm(bad, 'A', { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 }).addAlarmAction(new actions.SnsAction(topic2));
    new cloudwatch.Alarm(bad, 'Silent', { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 });
    new dynamodb.TableV2(bad, 'Tbl', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
    const badJson = Template.fromStack(bad).toJSON() as TemplateJson;
    expect(alarmsReachSomeone(badJson).map((f) => f.rule).sort()).toEqual(['alarm-action', 'alarm-topic-key']);
    expect(scheduledJobsWatched(badJson).map((f) => f.rule).sort()).toEqual(['job-heartbeat', 'job-on-failure']);
    expect(limitsSet(badJson).map((f) => f.rule).sort()).toEqual(['job-reserved-concurrency', 'queue-max-concurrency']);
    // A key with the default policy (the account may use it) and a table on the AWS-managed key, unprotected, not backed up.
    expect(keysRestricted(badJson).map((f) => f.rule)).toEqual(['key-account-use']);
    expect(tablesProtected(badJson).map((f) => f.rule).sort()).toEqual(['table-backup', 'table-deletion-protection', 'table-key', 'table-pitr', 'table-retain']);
    void topic;
  });
});
