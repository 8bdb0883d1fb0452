import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { roles } from '../../shared/auth/roles.js';
import { functionGroups, isListRoute, routeKey } from '../../shared/http/route.js';
import { routeList } from '../../shared/routes/index.js';
import { tables } from '../../shared/tables.js';

// Bundling is skipped here (it is exercised once, by the CLI test below).
const { app, stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
const template = Template.fromStack(stack);

describe('tables', () => {
  it.each(Object.values(tables))('$id: keys, indexes, on-demand, PITR, deletion protection, retained', (def) => {
    const tableProps = template.findResources('AWS::DynamoDB::GlobalTable');
    const [logicalId, table] = Object.entries(tableProps).find(([id]) => id.startsWith(def.id))!;
    expect(logicalId).toBeDefined();
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const p = table.Properties;
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.KeySchema).toEqual([
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...('sortKey' in def && def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
    ]);
    expect(p.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(p.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect((p.GlobalSecondaryIndexes ?? []).map((g: { IndexName: string; KeySchema: unknown }) => [g.IndexName, g.KeySchema])).toEqual(
      def.globalIndexes.map((g) => [g.name, [{ AttributeName: g.partitionKey.name, KeyType: 'HASH' }, ...(g.sortKey ? [{ AttributeName: g.sortKey.name, KeyType: 'RANGE' }] : [])]]),
    );
    if ('stream' in def) expect(p.StreamSpecification).toEqual({ StreamViewType: def.stream });
    if ('ttlAttribute' in def) expect(p.TimeToLiveSpecification).toEqual({ AttributeName: def.ttlAttribute, Enabled: true });
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of the route table, public and signed ones without authorizer', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    const keys = routes.map((r) => r.RouteKey).sort();
    expect(keys).toEqual(routeList.map((r) => routeKey(r)).sort());
    for (const r of routeList) {
      const deployed = routes.find((x) => x.RouteKey === routeKey(r))!;
      // Public routes and the platform's signed webhook have no JWT authorizer.
      expect(deployed.AuthorizationType, routeKey(r)).toBe(r.access === 'public' || r.access === 'signed' ? 'NONE' : 'JWT');
    }
  });

  it('uses a JWT authorizer backed by the Cognito user pool and its client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: Match.stringLikeRegexp('UsersApiClient') }],
        Issuer: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('cognito-idp')])]) }),
      },
    });
  });

  it('logs access without bodies and throttles the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.not(Match.stringLikeRegexp('body')) },
      DefaultRouteSettings: { ThrottlingBurstLimit: 400, ThrottlingRateLimit: 200 },
    });
  });
});

describe('Cognito', () => {
  it('has one group per role and custom attributes for the area', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...roles].sort());
    const pool = Object.values(template.findResources('AWS::Cognito::UserPool'))[0]!.Properties;
    expect(pool.Schema.map((s: { Name: string }) => s.Name).sort()).toEqual(['county', 'institution', 'site', 'township']);
  });

  it('does not let users write their own area attributes', () => {
    const client = Object.values(template.findResources('AWS::Cognito::UserPoolClient'))[0]!.Properties;
    expect(client.WriteAttributes.some((a: string) => a.startsWith('custom:'))).toBe(false);
  });
});

describe('functions', () => {
  it('one Node.js 22 arm64 function per bounded context plus the scheduled jobs, with log retention', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties);
    expect(fns).toHaveLength(functionGroups.length + 5);
    for (const f of fns) {
      expect(f.Runtime).toBe('nodejs22.x');
      expect(f.Architectures).toEqual(['arm64']);
      expect(f.Handler).toBe('index.handler');
    }
    const retentions = Object.values(template.findResources('AWS::Logs::LogGroup')).map((l) => l.Properties.RetentionInDays);
    expect(retentions.every((d) => d === 180)).toBe(true);
  });

  it('grants least privilege: the system function touches no table; no function may Scan or reach tables it does not use', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statementsOf = (prefix: string) =>
      Object.entries(policies).filter(([id]) => id.startsWith(prefix)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const systemActions = statementsOf('SystemFunctionRole').flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(systemActions.filter((a: string) => a.startsWith('dynamodb:') || a.startsWith('kms:'))).toEqual([]);
    const registry = JSON.stringify(statementsOf('RegistryFunctionRole'));
    expect(registry).not.toContain('dynamodb:*');
    expect(registry).not.toContain('dynamodb:Scan');
    expect(registry).toContain('Registry');
    expect(registry).toContain('kms:GenerateMac');
  });

  it('lets exactly the functions that serve lists derive the page-token key', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const keyId = Object.keys(template.findResources('AWS::KMS::Key')).find((id) => id.startsWith('PageTokenKey'))!;
    const users = policies.filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(keyId)).map(([id]) => id.replace(/Role.*$/, '')).sort();
    const listing = [...new Set(routeList.filter((r) => isListRoute(r)).map((r) => r.fn))].map((g) => `${g[0]!.toUpperCase()}${g.slice(1)}Function`).sort();
    expect(users).toEqual(listing);
    for (const [, p] of policies.filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(keyId))) {
      const st = (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).filter((x) => JSON.stringify(x.Resource).includes(keyId));
      expect(st.flatMap((x) => [x.Action].flat())).toEqual(['kms:GenerateMac']);
    }
  });

  it('runs the no-show job every 15 minutes and the occupancy snapshot daily at 23:50 China Standard Time', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)', State: 'ENABLED' });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(50 15 * * ? *)', State: 'ENABLED' });
  });

  it('alarms on API 5xx and on function and table throttles', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.some((a) => a.MetricName === '5xx' && a.Namespace === 'AWS/ApiGateway')).toBe(true);
    expect(alarms.filter((a) => a.MetricName === 'Throttles')).toHaveLength(functionGroups.length + 5);
    expect(alarms.filter((a) => JSON.stringify(a.Metrics ?? '').includes('WriteThrottleEvents'))).toHaveLength(Object.keys(tables).length);
    expect(alarms.every((a) => a.AlarmActions?.length === 1)).toBe(true);
  });
});

describe('platform link', () => {
  it('relays the Registry, Meals and Beds streams (records with an event only) with partial batch failures, in order', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);
    const streams = mappings.filter((m) => JSON.stringify(m.EventSourceArn).includes('StreamArn') && JSON.stringify(m.FunctionName).includes('PlatformRelayJob'));
    expect(streams).toHaveLength(3);
    for (const m of streams) {
      expect(m).toMatchObject({ StartingPosition: 'TRIM_HORIZON', ParallelizationFactor: 1, FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: -1 });
      expect(JSON.parse(m.FilterCriteria.Filters[0].Pattern)).toEqual({ dynamodb: { NewImage: { evt: { M: { id: { S: [{ exists: true }] } } } } } });
      expect(m.DestinationConfig.OnFailure.Destination).toBeDefined();
    }
    const fromQueue = mappings.filter((m) => JSON.stringify(m.EventSourceArn).includes('PlatformDeliveryQueue'));
    expect(fromQueue).toHaveLength(1);
    expect(fromQueue[0]).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('delivers through an encrypted FIFO queue with a FIFO dead-letter queue, alarmed on depth and age', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const [mainId, main] = Object.entries(queues).find(([id]) => id.startsWith('PlatformDeliveryQueue'))!;
    const [dlqId, dlq] = Object.entries(queues).find(([id]) => id.startsWith('PlatformDeliveryDlq'))!;
    expect(main.Properties).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: 100 } });
    expect(dlq.Properties).toMatchObject({ FifoQueue: true });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const on = (queueId: string, metric: string) => alarms.some((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(queueId));
    expect(on(dlqId, 'ApproximateNumberOfMessagesVisible')).toBe(true);
    expect(on(dlqId, 'ApproximateAgeOfOldestMessage')).toBe(true);
    expect(on(mainId, 'ApproximateAgeOfOldestMessage')).toBe(true);
    expect(alarms.some((a) => a.MetricName === 'EventsParked' && a.Namespace === 'Eldercare')).toBe(true);
  });

  it('gives the split functions only what they need: reports read, the feed may queue, the inbound webhook may not', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const of = (prefix: string) => JSON.stringify(policies.filter(([id]) => id.startsWith(prefix)).map(([, p]) => p.Properties.PolicyDocument));
    const reports = of('MealReportsFunctionRole');
    expect(reports).toContain('dynamodb:Query');
    expect(reports).not.toMatch(/dynamodb:(DeleteItem|BatchWriteItem)/);
    expect(reports).not.toContain('kms:');
    // Its only writes: report job records, by leading key.
    const writes = policies.filter(([id]) => /^(MealReportsFunctionRole|ReportWorkerJobRole)/.test(id))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[])
      .filter((st) => [st.Action].flat().some((a) => /dynamodb:(PutItem|UpdateItem)/.test(a)));
    expect(writes).toHaveLength(2);
    for (const st of writes) expect(st.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REPORT#*'] } });
    expect(of('PlatformFeedFunctionRole')).toContain('sqs:SendMessage');
    expect(of('PlatformFeedFunctionRole')).not.toContain('Registry');
    expect(of('PlatformFunctionRole')).not.toContain('sqs:');
  });

  it('runs report jobs from the Meals stream, filtered to job inserts, several at a time', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);
    const jobs = mappings.filter((m) => JSON.stringify(m.FunctionName).includes('ReportWorkerJob'));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ BatchSize: 1, ParallelizationFactor: 10, StartingPosition: 'LATEST' });
    expect(JSON.stringify(jobs[0].EventSourceArn)).toContain('Meals');
    expect(JSON.parse(jobs[0].FilterCriteria.Filters[0].Pattern)).toEqual({ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: ['REPORTJOB'] } } } });
  });

  it('signs deliveries with a secret of their own, which only the deliverer reads', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const readers = policies.filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('PlatformDeliverySecret')).map(([id]) => id);
    expect(readers.length).toBe(1);
    expect(readers[0]).toMatch(/^PlatformDeliverJobRole/);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged findings', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('would catch a topic that allows non-TLS publishing (the check is live, not vacuous)', () => {
    const bad = new App();
    new sns.Topic(new Stack(bad, 'Bad'), 'T');
    const report = new AwsSolutionsChecks().validateScope(bad);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-SNS3');
  });

  it('every acknowledgement gives a reason', () => {
    const acks = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => JSON.stringify(m.data ?? '').includes('AwsSolutions-')));
    expect(acks.length).toBeGreaterThan(0);
    for (const m of acks) {
      for (const reason of Object.values(m.data as Record<string, string>)) expect(String(reason).length).toBeGreaterThan(30);
    }
  });
});

describe('cdk synth (CLI, offline, esbuild bundling)', () => {
  const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  let bundles: string[] = [];
  beforeAll(() => {
    execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', out], {
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      stdio: 'pipe',
      timeout: 120_000,
    });
    bundles = readdirSync(out).filter((d) => d.startsWith('asset.')).map((d) => join(out, d, 'index.mjs')).filter(existsSync);
  }, 150_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the template and one minified ESM bundle with a source map per function', () => {
    expect(existsSync(join(out, 'Eldercare.template.json'))).toBe(true);
    expect(bundles).toHaveLength(functionGroups.length + 5);
    for (const b of bundles) {
      expect(existsSync(`${b}.map`)).toBe(true);
      const code = readFileSync(b, 'utf8');
      expect(code.length / code.split('\n').length).toBeGreaterThan(2000); // minified: long lines
      expect(statSync(b).size).toBeLessThan(1_500_000);
    }
  });

  it('the bundled system function answers a health request in a fresh Node process', () => {
    const synthesized = JSON.parse(readFileSync(join(out, 'Eldercare.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    const [, fn] = Object.entries(synthesized.Resources).find(([id, r]) => id.startsWith('SystemFunction') && r.Type === 'AWS::Lambda::Function')!;
    const system = join(out, fn.Metadata!['aws:asset:path']!, 'index.mjs');
    const script = `
      const { handler } = await import(${JSON.stringify(system)});
      const res = await handler({ version: '2.0', routeKey: 'GET /v1/health', rawPath: '/v1/health', headers: {}, requestContext: { http: { method: 'GET' } } },
        { awsRequestId: 'r1', functionName: 'f', getRemainingTimeInMillis: () => 1000 });
      process.stdout.write(JSON.stringify(res));`;
    const res = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' } }).toString());
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
  });
});
