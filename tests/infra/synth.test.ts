import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localTableNames } from '../../scripts/local/tables.js';
import { buildApp, globalSynthEnv } from '../../infra/app.js';
import { roles } from '../../shared/auth/roles.js';
import { functionGroups, isListRoute, routeKey } from '../../shared/http/route.js';
import { routeList } from '../../shared/routes/index.js';
import { tables } from '../../shared/tables.js';
import { jobNames } from '../../shared/jobs.js';

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
  it('has exactly the routes of the route table and $default, public and signed ones without authorizer', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    const keys = routes.map((r) => r.RouteKey).sort();
    expect(keys).toEqual([...routeList.map((r) => routeKey(r)), '$default'].sort());
    // Unknown routes go, without authorizer, to the system function (404 in the error envelope).
    const fallback = routes.find((r) => r.RouteKey === '$default')!;
    expect(fallback.AuthorizationType).toBe('NONE');
    const openapi = routes.find((r) => r.RouteKey === 'GET /v1/openapi.json')!;
    expect(fallback.Target).toEqual(openapi.Target);
    for (const r of routeList) {
      const deployed = routes.find((x) => x.RouteKey === routeKey(r))!;
      // Public routes and the platform's signed webhook have no authorizer; the rest our Lambda authorizer.
      expect(deployed.AuthorizationType, routeKey(r)).toBe(r.access === 'public' || r.access === 'signed' ? 'NONE' : 'CUSTOM');
    }
  });

  it('uses one Lambda authorizer that trusts both user pools, each with its own clients', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'REQUEST', EnableSimpleResponses: true, IdentitySource: ['$request.header.Authorization'], AuthorizerResultTtlInSeconds: 300 });
    const env = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables ?? {}).find((v) => v.OIDC_STAFF_ISSUER)!;
    const text = (v: unknown) => JSON.stringify(v);
    expect(text(env.OIDC_PUBLIC_ISSUER)).toMatch(/cognito-idp.*"Ref":"Users[0-9A-F]{8}"/);
    expect(text(env.OIDC_STAFF_ISSUER)).toMatch(/cognito-idp.*"Ref":"StaffUsers[0-9A-F]{8}"/);
    expect(text(env.OIDC_PUBLIC_JWKS_URI)).toMatch(/\/\.well-known\/jwks\.json/);
    // The API's client (SRP sign-in) and the web pages' client of the public pool; the staff pool's web client alone.
    expect(text(env.OIDC_PUBLIC_AUDIENCE)).toMatch(/UsersApiClient.*UsersWebClient/);
    expect(text(env.OIDC_STAFF_AUDIENCE)).toMatch(/StaffUsersStaffWebClient/);
    expect(text(env.OIDC_STAFF_AUDIENCE)).not.toMatch(/"Ref":"Users/);
  });

  it('logs access without bodies and throttles the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"sourceIp":"\\$context.identity.sourceIp"') },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.not(Match.stringLikeRegexp('body')) },
      DefaultRouteSettings: { ThrottlingBurstLimit: 400, ThrottlingRateLimit: 200 },
    });
  });
});

describe('Cognito', () => {
  it('has one group per role, each in its realm\'s pool, and custom attributes for the area', () => {
    const pools = template.findResources('AWS::Cognito::UserPool');
    const poolOf = (id: string) => Object.keys(pools).find((p) => p.startsWith(id) && !p.startsWith(`Staff${id}`))!;
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => [g.Properties.GroupName, g.Properties.UserPoolId.Ref]);
    expect(groups.map(([g]) => g).sort()).toEqual([...roles].sort());
    for (const [g, pool] of groups) expect(pool, g).toBe(poolOf(['staff', 'institution'].includes(g) ? 'StaffUsers' : 'Users'));
    for (const pool of Object.values(pools)) expect(pool.Properties.Schema.map((s: { Name: string }) => s.Name).sort()).toEqual(['county', 'institution', 'site', 'township']);
  });

  it('does not let users write their own area attributes', () => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')).map((c) => c.Properties);
    expect(clients).toHaveLength(3);
    for (const client of clients) expect(client.WriteAttributes.some((a: string) => a.startsWith('custom:'))).toBe(false);
  });

  it('gives the web pages a public client per pool: authorization code only, no secret, callback on the distribution', () => {
    const webClients = Object.entries(template.findResources('AWS::Cognito::UserPoolClient')).filter(([id]) => id.includes('WebClient'));
    expect(webClients).toHaveLength(2);
    for (const [, { Properties: web }] of webClients) {
      expect(web.AllowedOAuthFlows).toEqual(['code']);
      expect(web.AllowedOAuthScopes).toEqual(['openid']);
      expect(web.GenerateSecret).toBe(false);
      expect(JSON.stringify(web.CallbackURLs)).toMatch(/DomainName.*\/auth\/callback/);
    }
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
  });
});

describe('functions', () => {
  it('one Node.js 22 arm64 function per bounded context plus the scheduled jobs, with log retention', () => {
    // Not counted: CDK's own BucketDeployment function, which copies the web pages at deploy time.
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties).filter((f) => !String(f.Runtime).startsWith('python'));
    // One per job, plus the authorizer, which verifies both realms' tokens.
    expect(fns).toHaveLength(functionGroups.length + jobNames.length + 1);
    for (const f of fns) {
      expect(f.Runtime).toBe('nodejs22.x');
      expect(f.Architectures).toEqual(['arm64']);
      expect(f.Handler).toBe('index.handler');
    }
    const logGroups = Object.entries(template.findResources('AWS::Logs::LogGroup'));
    // Function logs 180 days; the API's access logs (who called, from where) 400.
    for (const [id, l] of logGroups) expect(l.Properties.RetentionInDays, id).toBe(id.startsWith('ApiAccessLogs') ? 400 : 180);
  });

  it('grants least privilege: the system function touches no table, the health function may only describe them; no function may Scan or reach tables it does not use', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statementsOf = (prefix: string) =>
      Object.entries(policies).filter(([id]) => id.startsWith(prefix)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(JSON.stringify(statementsOf('SystemFunctionRole'))).not.toMatch(/dynamodb:|kms:/);
    const system = statementsOf('HealthFunctionRole') as { Action: string | string[]; Resource: unknown }[];
    const systemActions = system.flatMap((s) => [s.Action].flat());
    // The health check: DescribeTable (no read units), on each table's own ARN, nothing more.
    expect(systemActions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('kms:'))).toEqual(Object.keys(tables).map(() => 'dynamodb:DescribeTable'));
    const described = system.filter((s) => s.Action === 'dynamodb:DescribeTable').map((s) => JSON.stringify(s.Resource));
    expect(described.every((r) => !r.includes('index'))).toBe(true);
    expect(Object.values(tables).map((t) => described.some((r) => r.includes(`"${t.id}`)))).toEqual(Object.values(tables).map(() => true));
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
    expect(alarms.filter((a) => a.MetricName === 'Throttles')).toHaveLength(functionGroups.length + jobNames.length + 1);
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

describe('web pages on CloudFront', () => {
  const dist = () => Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
  const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
  const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

  it('serves the pages from a private bucket through origin access control', () => {
    const buckets = Object.entries(template.findResources('AWS::S3::Bucket'));
    const pages = buckets.find(([id]) => id.startsWith('WebPages'))![1].Properties;
    expect(pages.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }) });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } } })]) },
    });
    const s3Origin = dist().Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(dist().DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(dist().DefaultRootObject).toBe('index.html');
  });

  it('routes /v1/* to the HTTP API: every method, uncached, the caller\'s headers but Host; no CORS on the API', () => {
    const v1 = dist().CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/v1/*');
    expect(v1).toMatchObject({ CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST, ViewerProtocolPolicy: 'https-only' });
    expect(v1.AllowedMethods.sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    const apiOrigin = dist().Origins.find((o: { Id: string }) => o.Id === v1.TargetOriginId);
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('execute-api');
    expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(Object.values(template.findResources('AWS::ApiGatewayV2::Api'))[0]!.Properties.CorsConfiguration).toBeUndefined();
    const config = dist().CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/config.json');
    expect(config.CachePolicyId).toBe(CACHING_DISABLED);
  });

  it('falls back to index.html for page routes only: never for /v1, never for a missing file', () => {
    // No distribution-wide error pages: they would turn the API's 403/404 into the app.
    expect(dist().CustomErrorResponses).toBeUndefined();
    const fn = Object.values(template.findResources('AWS::CloudFront::Function'))[0]!.Properties;
    expect(dist().DefaultCacheBehavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    const uriOf = (uri: string) => handler({ request: { uri } }).uri;
    expect(uriOf('/family/elders/eld_1')).toBe('/index.html');
    expect(uriOf('/auth/callback')).toBe('/index.html');
    expect(uriOf('/')).toBe('/index.html');
    expect(uriOf('/assets/index-abc.js')).toBe('/assets/index-abc.js');
    expect(uriOf('/config.json')).toBe('/config.json');
    expect(uriOf('/v1/me/elders')).toBe('/v1/me/elders');
  });

  it('sends CSP, HSTS, nosniff and frame denial on pages and API answers', () => {
    const policy = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(policy.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const d of ["default-src 'self'", "script-src 'self'", "worker-src 'self'", "manifest-src 'self'", "frame-ancestors 'none'", "object-src 'none'", 'connect-src \'self\' https://cognito-idp.']) expect(csp).toContain(d);
    expect(csp).not.toContain('unsafe-inline');
    expect(policy.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(policy.ContentTypeOptions).toEqual({ Override: true });
    expect(policy.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    const policyRef = dist().DefaultCacheBehavior.ResponseHeadersPolicyId;
    for (const b of dist().CacheBehaviors) expect(b.ResponseHeadersPolicyId).toEqual(policyRef);
  });

  it('deploys the built pages and the runtime config.json beside them, then invalidates both (and the counter\'s service worker)', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: ['/index.html', '/config.json', '/sw.js', '/manifest.webmanifest'], Prune: false, SystemMetadata: { 'cache-control': 'no-cache' } });
    // Hashed assets alone are cached for a year; sw.js never is (the deployment above sends no-cache).
    template.hasResourceProperties('Custom::CDKBucketDeployment', { SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' }, Prune: false });
    const deploy = Object.values(template.findResources('Custom::CDKBucketDeployment')).find((d) => d.Properties.DistributionPaths)!.Properties;
    expect(deploy.SourceObjectKeys).toHaveLength(2);
    // config.json names both pools' issuers and web clients, resolved at deploy time.
    expect(JSON.stringify(deploy.SourceMarkers)).toMatch(/"Ref":"UsersWebClient/);
    expect(JSON.stringify(deploy.SourceMarkers)).toMatch(/StaffUsersStaffWebClient/);
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
      // The local stack's region (cn-north-1, in this process's environment) would make the CLI's
      // default region a China one, hence the aws-cn partition, where Cognito is refused: this is
      // the global stack. partitions.test.ts synthesizes the China one.
      env: globalSynthEnv(process.env),
      stdio: 'pipe',
      // Bundles every function with esbuild: about 30 s alone, minutes on a loaded 2-core machine.
      timeout: 300_000,
    });
    bundles = readdirSync(out).filter((d) => d.startsWith('asset.')).map((d) => join(out, d, 'index.mjs')).filter(existsSync);
  }, 330_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the template and one minified ESM bundle with a source map per function', () => {
    expect(existsSync(join(out, 'Eldercare.template.json'))).toBe(true);
    expect(bundles).toHaveLength(functionGroups.length + jobNames.length + 1);
    for (const b of bundles) {
      expect(existsSync(`${b}.map`)).toBe(true);
      const code = readFileSync(b, 'utf8');
      expect(code.length / code.split('\n').length).toBeGreaterThan(2000); // minified: long lines
    }
  });

  it('holds every function to its bundle budget (infra/bundle-budget.json), so a stray import fails here', () => {
    const synthesized = JSON.parse(readFileSync(join(out, 'Eldercare.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    const budget = JSON.parse(readFileSync(new URL('../../infra/bundle-budget.json', import.meta.url), 'utf8')) as Record<string, number>;
    const sizes: Record<string, number> = {};
    for (const r of Object.values(synthesized.Resources)) {
      const asset = r.Metadata?.['aws:asset:path'];
      if (r.Type !== 'AWS::Lambda::Function' || !asset || !existsSync(join(out, asset, 'index.mjs'))) continue;
      sizes[r.Metadata!['aws:cdk:path']!.split('/')[1]!] = statSync(join(out, asset, 'index.mjs')).size;
    }
    expect(Object.keys(sizes).length).toBeGreaterThan(5);
    for (const [fn, size] of Object.entries(sizes)) {
      expect(budget[fn], `${fn} has no entry in infra/bundle-budget.json (it is ${size} bytes)`).toBeTypeOf('number');
      expect(size, `${fn} is ${size} bytes, over its budget of ${budget[fn]}: find the import that grew it, or raise the budget and say why`).toBeLessThanOrEqual(budget[fn]!);
    }
    // Nothing may be over the 400 KB target by more than the margin, budget or not.
    for (const [fn, size] of Object.entries(sizes)) expect(size, fn).toBeLessThan(450_000);
  });

  it('the bundled health function answers a health request in a fresh Node process, DynamoDB described', () => {
    const synthesized = JSON.parse(readFileSync(join(out, 'Eldercare.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    const [, fn] = Object.entries(synthesized.Resources).find(([id, r]) => id.startsWith('HealthFunction') && r.Type === 'AWS::Lambda::Function')!;
    const system = join(out, fn.Metadata!['aws:asset:path']!, 'index.mjs');
    const script = `
      const { handler } = await import(${JSON.stringify(system)});
      const res = await handler({ version: '2.0', routeKey: 'GET /v1/health', rawPath: '/v1/health', headers: {}, requestContext: { http: { method: 'GET' } } },
        { awsRequestId: 'r1', functionName: 'f', getRemainingTimeInMillis: () => 10_000 });
      process.stdout.write(JSON.stringify(res));`;
    const tableEnv = Object.fromEntries(Object.entries(tables).map(([k, d]) => [d.envVar, localTableNames()[k as keyof typeof tables]]));
    const env = { ...process.env, ...tableEnv, POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
    const run = (endpoint: string) => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...env, AWS_ENDPOINT_URL_DYNAMODB: endpoint } }).toString());
    const up = run(inject('dynamoEndpoint'));
    expect(up.statusCode).toBe(200);
    expect(JSON.parse(up.body)).toMatchObject({ status: 'ok', dependencies: { dynamodb: 'ok' } });
    const down = run('http://127.0.0.1:9'); // nothing listens on the discard port
    expect(down.statusCode).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ status: 'degraded', dependencies: { dynamodb: 'unreachable' } });
  });

  it('the bundled meals function keeps Idempotency-Key with the bundled JMESPath field reader: a resend replays, another body is refused', () => {
    // The bundles read Powertools Idempotency's `key` and `body` with functions/lib/jmespath-fields
    // (bundleAliases), which the tests on unbundled code never run: this runs the bundle itself.
    const synthesized = JSON.parse(readFileSync(join(out, 'Eldercare.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    const [, fn] = Object.entries(synthesized.Resources).find(([id, r]) => id.startsWith('MealsFunction') && r.Type === 'AWS::Lambda::Function')!;
    const meals = join(out, fn.Metadata!['aws:asset:path']!, 'index.mjs');
    expect(readFileSync(meals, 'utf8')).toContain('only JMESPath field paths are bundled');
    const key = `synth-${Date.now()}`;
    const site = (name: string) => JSON.stringify({ name, township: '411327100', kind: 'canteen', address: '城关镇人民路 1 号', delivery: false, slots: { lunch: { capacity: 10, priceFen: 1500, cutoff: '10:00' } } });
    const script = `
      const { handler } = await import(${JSON.stringify(meals)});
      const post = (body) => handler({
        version: '2.0', routeKey: 'POST /v1/meal-sites', rawPath: '/v1/meal-sites', rawQueryString: '', isBase64Encoded: false, body,
        headers: { 'content-type': 'application/json', 'idempotency-key': ${JSON.stringify(key)} },
        requestContext: { requestId: 'r', http: { method: 'POST', path: '/v1/meal-sites' }, authorizer: { jwt: { claims: { sub: 'synth-staff', 'cognito:groups': '[staff]', 'custom:county': '411327' }, scopes: [] } } },
      }, { awsRequestId: 'r' + Math.random(), functionName: 'f', getRemainingTimeInMillis: () => 10000 });
      const out = [];
      for (const body of process.argv.slice(1)) out.push(await post(body));
      process.stdout.write(JSON.stringify(out));`;
    const tableEnv = Object.fromEntries(Object.entries(tables).map(([k, d]) => [d.envVar, localTableNames()[k as keyof typeof tables]]));
    const env = { ...process.env, ...tableEnv, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint') };
    const [first, again, other] = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, site('甲食堂'), site('甲食堂'), site('乙食堂')], { env }).toString()) as { statusCode: number; body: string; headers?: Record<string, string> }[];
    expect(first!.statusCode, first!.body).toBe(201);
    expect(again!.statusCode, again!.body).toBe(201);
    expect(JSON.parse(again!.body).id).toBe(JSON.parse(first!.body).id);
    expect(again!.headers?.['idempotent-replayed']).toBe('true');
    expect(other!.statusCode, other!.body).toBe(409);
    expect(JSON.parse(other!.body).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
