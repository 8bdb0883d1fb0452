import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey, HttpStage, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { functionEntries, functionGroups, isListRoute, routeKey, type FunctionGroup } from '../shared/http/route.js';
import { jobs, type JobName, type JobSpec } from '../shared/jobs.js';
import { routeList } from '../shared/routes/index.js';
import { tables, type TableDef, type TableName } from '../shared/tables.js';
import { platformRetryDefaults, platformRetryEnvironment } from '../shared/platform-retry.js';
import { Alarms, type AlarmRecipients } from './constructs/alarms.js';
import { TableBackups } from './constructs/backups.js';
import { Identity, type IdentitySettings } from './constructs/identity.js';
import { allowKeyUse, restrictedKey, tablesKey } from './constructs/keys.js';
import { partitionContext, ServiceFunction, type AccessMode, type Partition } from './constructs/service-function.js';
import { WebDistribution, type WebDomain } from './constructs/web-distribution.js';
import { webhookSecret, webhookSecretSources } from './constructs/webhook-secrets.js';

/**
 * What each function may touch. Read this as the system's permission table: the registry
 * owns the Registry table; the system function (OpenAPI, unknown routes) touches none; the
 * health function may only describe tables (DescribeTable, no item access).
 */
const access: Record<FunctionGroup, { description: string; tables: Partial<Record<TableName, AccessMode>>; pii: 'seal' | 'fingerprint' | 'none'; timeout?: Duration }> = {
  system: { description: 'The OpenAPI document, and 404 for unknown routes', tables: {}, pii: 'none' },
  health: {
    description: 'Health: DynamoDB described, 503 when it does not answer',
    tables: { registry: 'DESCRIBE', meals: 'DESCRIBE', beds: 'DESCRIBE', platform: 'DESCRIBE', idempotency: 'DESCRIBE' },
    pii: 'none',
  },
  // A death reported cancels the elder's open meal bookings, hence meals RW.
  registry: { description: 'Elder registry: townships, elders, family links', tables: { registry: 'RW', meals: 'RW', idempotency: 'RW' }, pii: 'seal' },
  // Meals read elders (never change them) and match ID numbers by fingerprint only.
  meals: { description: 'Meal assistance: sites, subsidy policy, bookings, servings, alerts', tables: { meals: 'RW', registry: 'RO', idempotency: 'RW' }, pii: 'fingerprint' },
  // Reports only read: servings and sites, and elders for names and categories on settlements;
  // they record report jobs too (items under REPORT# only, see reportJobWrites below).
  // 25 s: under the HTTP API's 30 s integration limit, so a slow report ends as our own 5xx
  // (logged, alarmed) and not as API Gateway's bare 503 while the function runs on.
  mealReports: { description: 'Meal reports: daily, monthly settlement, anomalies, report jobs', tables: { meals: 'RO', registry: 'RO' }, pii: 'none', timeout: Duration.seconds(25) },
  beds: { description: 'Care beds: institutions, beds, residents, home care beds, occupancy', tables: { beds: 'RW', registry: 'RO', idempotency: 'RW' }, pii: 'none' },
  // Inbound platform webhooks register and update elders (and a death cancels meal bookings);
  // bed_application.filed files a care-bed application through the beds use case (Beds table).
  platform: { description: 'Smart elderly-care platform link: inbound webhooks', tables: { platform: 'RW', registry: 'RW', meals: 'RW', beds: 'RW' }, pii: 'seal' },
  // The feed, reconciliation and dead letters read (and replay marks) the event ledger only.
  platformFeed: { description: 'Smart elderly-care platform link: event feed, reconciliation, dead letters', tables: { platform: 'RW' }, pii: 'none' },
};

/**
 * Reserved concurrency per job: the jobs keep running when the API is busy, and a job can never
 * take the account's concurrency from the API (after a platform outage the deliverer would
 * otherwise scale out on a queue of thousands). The deliverer's figure is also its queue
 * trigger's maximum concurrency (`deliveryConcurrency`), so it floods neither us nor the city.
 * The relay takes one batch per shard at a time (three tables' streams, a few shards each);
 * report jobs run up to ten at once.
 */
const jobConcurrency: Record<Exclude<JobName, 'platformDeliver'>, number> = { noShows: 1, snapshot: 1, waitingList: 1, platformRelay: 10, reportWorker: 10 };

/** Public routes (no token): tight per-route throttles, so a flood there can't starve the rest. */
const publicRouteThrottle = { rateLimit: 10, burstLimit: 20 } as const;
/** Platform webhooks come in bursts after the platform's own outages: a little more room. */
const signedRouteThrottle = { rateLimit: 50, burstLimit: 100 } as const;

export interface EldercareStackProps extends StackProps {
  /**
   * The AWS partition deployed to: `aws` (global regions) or `aws-cn` (cn-north-1,
   * cn-northwest-1), where some services and features don't exist: no Cognito user pools (an
   * OIDC issuer is required), no X-Ray integration with Lambda (tracing is off). Default `aws`.
   */
  readonly partition?: Partition;
  /** Who signs users in (default: a Cognito user pool in this stack; required in `aws-cn`). */
  readonly identity?: IdentitySettings;
  /**
   * Where events are delivered (the platform's webhook URL, https); until set, they wait as
   * dead letters. Personal data travels in these events: http is refused at synth.
   */
  readonly platformUrl?: string;
  /** Who the alarms reach (`-c alarmEmail=a@x.cn,b@x.cn`, `-c alarmUrl=https://...`). */
  readonly alarmRecipients?: AlarmRecipients;
  /** How many deliveries may run at once (the delivery queue trigger's maximum and the deliverer's reserved concurrency). Default 5. */
  readonly deliveryConcurrency?: number;
  /** Ceiling per table on on-demand request units per second, read and write (default 4000 each): a runaway loop costs at most this. */
  readonly tableMaxRequestUnits?: number;
  /** A backup vault in another account that receives a copy of every recovery point (`-c backupCopyVaultArn=...`). */
  readonly backupCopyVaultArn?: string;
  /** Account-level Lambda concurrency that raises an alarm (default 800, of the usual quota of 1000). */
  readonly concurrencyAlarmAt?: number;
  /**
   * The deployment stage (`-c stage=prod`; default `dev`). `prod` never creates the platform's
   * webhook secrets: it imports the two the operators created with the platform's whsec_ values
   * (`webhookSecretArns`), and refuses to synthesize without them.
   */
  readonly stage?: string;
  /** Existing Secrets Manager secrets (complete ARNs) holding the whsec_ secrets: required for `prod`. */
  readonly webhookSecretArns?: { readonly inbound?: string; readonly outbound?: string };
  /** The built web pages (default web/dist; infra/app.ts builds them when web/ changed). */
  readonly webDistDir?: string;
  /**
   * The pages' own domain name and certificate (WebDomain): optional in the global regions,
   * required in the AWS China regions, where CloudFront serves nothing on *.cloudfront.cn.
   */
  readonly webDomain?: WebDomain;
}

export class EldercareStack extends Stack {
  readonly tables: Record<TableName, dynamodb.TableV2>;
  readonly functions: Record<FunctionGroup, ServiceFunction>;
  readonly web: WebDistribution;
  readonly jobs: Record<JobName, ServiceFunction>;
  readonly deliveryQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: EldercareStackProps = {}) {
    super(scope, id, props);
    const partition = props.partition ?? 'aws';
    // Read by ServiceFunction (tracing) and whatever else differs per partition, below this stack.
    this.node.setContext(partitionContext, partition);
    if (props.platformUrl !== undefined && !/^https:\/\/[^\s/]/.test(props.platformUrl)) {
      throw new Error(`platformUrl must be an https URL (events carry personal data); got ${JSON.stringify(props.platformUrl)}`);
    }
    const deliveryConcurrency = props.deliveryConcurrency ?? 5;
    // SQS triggers accept a maximum concurrency of 2 to 1000.
    if (!Number.isInteger(deliveryConcurrency) || deliveryConcurrency < 2 || deliveryConcurrency > 1000) {
      throw new Error(`deliveryConcurrency must be an integer from 2 to 1000; got ${deliveryConcurrency}`);
    }
    const maxUnits = props.tableMaxRequestUnits ?? 4000;
    // Checked before anything is built: a production synth without the imported secrets stops here.
    const stageSecrets = webhookSecretSources(props.stage ?? 'dev', props.webhookSecretArns ?? {}, partition);

    // Tables come from the same definitions the local server uses, encrypted with a key of
    // our own that only DynamoDB may use (infra/constructs/keys.ts).
    const tableKey = tablesKey(this, 'TablesKey');
    const key = (k: TableDef['partitionKey']) => ({ name: k.name, type: k.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER });
    this.tables = Object.fromEntries(
      (Object.entries(tables) as [TableName, TableDef][]).map(([name, def]) => [
        name,
        new dynamodb.TableV2(this, def.id, {
          partitionKey: key(def.partitionKey),
          ...(def.sortKey && { sortKey: key(def.sortKey) }),
          billing: dynamodb.Billing.onDemand({ maxReadRequestUnits: maxUnits, maxWriteRequestUnits: maxUnits }),
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
          deletionProtection: true,
          removalPolicy: RemovalPolicy.RETAIN,
          encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
          globalSecondaryIndexes: def.globalIndexes.map((i) => ({
            indexName: i.name,
            partitionKey: key(i.partitionKey),
            ...(i.sortKey && { sortKey: key(i.sortKey) }),
            ...(i.include && { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...i.include] }),
          })),
          ...(def.stream && { dynamoStream: dynamodb.StreamViewType[def.stream] }),
          ...(def.ttlAttribute && { timeToLiveAttribute: def.ttlAttribute }),
        }),
      ]),
    ) as Record<TableName, dynamodb.TableV2>;
    // The tables' key is set on the replica by hand: TableV2's customerManagedKey() renders only in
    // a stack with a concrete region, and this one is region-agnostic (synth runs offline, for
    // either partition). SSEType KMS plus the replica's KMSMasterKeyId is what it would render.
    for (const table of Object.values(this.tables)) {
      (table.node.defaultChild as dynamodb.CfnGlobalTable).addPropertyOverride('Replicas.0.SSESpecification.KMSMasterKeyId', tableKey.keyArn);
    }
    new TableBackups(this, 'Backups', { tables: Object.values(this.tables), ...(props.backupCopyVaultArn && { copyVaultArn: props.backupCopyVaultArn }) });
    if (!props.backupCopyVaultArn) {
      Annotations.of(this).addWarningV2('eldercare:no-backup-copy', 'No backup copy vault: deploy with -c backupCopyVaultArn=arn:...:backup-vault:NAME (in the bureau\'s backup account) so backups survive the loss of this account.');
    }

    // ID numbers: a KMS HMAC key fingerprints them (the key never leaves KMS) and a KMS
    // symmetric key seals a copy, bound to the county by encryption context.
    // Both keep a policy naming each function that may use them (infra/constructs/keys.ts).
    const piiHmacKey = restrictedKey(this, 'PiiHmacKey', { description: 'Fingerprints resident ID numbers for matching (HMAC-SHA256)',
      hmac: { whyNoRotation: 'KMS does not support automatic rotation of HMAC keys; rotating would break matching of stored fingerprints.' } });
    const piiEncryptKey = restrictedKey(this, 'PiiEncryptKey', { description: 'Seals copies of resident ID numbers' });

    // List nextTokens are signed with a key derived from this one (GenerateMac of a fixed label,
    // once per execution environment): only the functions that serve lists may use it.
    const pageTokenKey = restrictedKey(this, 'PageTokenKey', { description: 'Derives the key that signs list page tokens (nextToken)',
      hmac: { whyNoRotation: 'KMS does not support automatic rotation of HMAC keys; page tokens are short-lived, so a new key (or label) can replace it at any time.' } });


    // Who signs in, and how the API checks tokens (infra/constructs/identity.ts).
    const identity = new Identity(this, props.identity ?? { kind: 'cognito' }, { partition });

    // One function per bounded context.
    this.functions = Object.fromEntries(
      functionGroups.map((group) => {
        const spec = access[group];
        const fn = new ServiceFunction(this, `${group[0]!.toUpperCase()}${group.slice(1)}Function`, { group, entry: functionEntries[group], description: spec.description, ...(spec.timeout && { timeout: spec.timeout }) });
        for (const [name, mode] of Object.entries(spec.tables) as [TableName, AccessMode][]) fn.bindTable(name, this.tables[name], mode);
        if (spec.pii !== 'none') {
          allowKeyUse(piiHmacKey, fn, ['kms:GenerateMac']);
          fn.addEnvironment('PII_HMAC_KEY_ID', piiHmacKey.keyArn);
        }
        if (spec.pii === 'seal') {
          allowKeyUse(piiEncryptKey, fn, ['kms:Encrypt', 'kms:Decrypt'], { countyContext: true });
          fn.addEnvironment('PII_ENCRYPT_KEY_ID', piiEncryptKey.keyArn);
        }
        if (routeList.some((r) => r.fn === group && isListRoute(r))) {
          allowKeyUse(pageTokenKey, fn, ['kms:GenerateMac']);
          fn.addEnvironment('PAGE_TOKEN_KEY_ID', pageTokenKey.keyArn);
        }
        return [group, fn];
      }),
    ) as Record<FunctionGroup, ServiceFunction>;

    // The Standard Webhooks secret shared with the platform (whsec_...): operators put the value
    // the platform gives them; the function reads it through Powertools Parameters (cached).
    // Never generated by the stack (infra/constructs/webhook-secrets.ts): in production it is
    // imported by ARN, elsewhere created holding an unusable marker.
    const platformSecret = webhookSecret(this, 'PlatformWebhookSecret', 'Standard Webhooks secret shared with the smart elderly-care platform (whsec_...)', stageSecrets.inbound);
    platformSecret.grantRead(this.functions.platform);
    this.functions.platform.addEnvironment('PLATFORM_SECRET_ARN', platformSecret.secretArn);

    // The jobs, from their one list (shared/jobs.ts): a function each, and for the scheduled ones
    // their EventBridge rule (named after the job: NoShowsJob -> NoShowsSchedule). Stream and
    // queue sources, permissions and environment are wired below, job by job.
    const scheduledFailures: [JobName, sqs.Queue][] = [];
    const heartbeats: [JobName, ServiceFunction, number][] = [];
    const jobFn = (name: JobName, environment?: Record<string, string>): ServiceFunction => {
      const spec: JobSpec = jobs[name];
      const fn = new ServiceFunction(this, spec.id, {
        group: spec.group,
        entry: spec.entry,
        description: spec.description,
        timeout: Duration.minutes(spec.timeoutMinutes),
        reservedConcurrency: name === 'platformDeliver' ? deliveryConcurrency : jobConcurrency[name],
        ...(spec.memorySize && { memorySize: spec.memorySize }),
        ...(environment && { environment }),
      });
      const t = spec.trigger;
      if (t.kind === 'schedule') {
        const schedule = t.cron ? events.Schedule.cron(t.cron) : events.Schedule.rate(Duration.minutes(t.rateMinutes ?? 60));
        // A run that fails after its retries, or an invocation EventBridge could not make, is
        // kept on a queue (with the event) for an operator, and alarmed.
        const failures = new sqs.Queue(this, spec.id.replace(/Job$/, 'Failures'), { retentionPeriod: Duration.days(14), encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
        Validations.of(failures).acknowledge({ id: 'AwsSolutions-SQS3', reason: `This is itself the on-failure destination of the ${name} job.` });
        fn.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(failures), retryAttempts: 2 });
        new events.Rule(this, spec.id.replace(/Job$/, 'Schedule'), { schedule, targets: [new targets.LambdaFunction(fn, { retryAttempts: 2, deadLetterQueue: failures })] });
        scheduledFailures.push([name, failures]);
        // Heartbeat window: four runs' worth for frequent jobs, a day for daily ones.
        heartbeats.push([name, fn, t.cron ? 24 : Math.max(1, ((t.rateMinutes ?? 60) * 4) / 60)]);
      }
      return fn;
    };
    // Scheduled: bookings past their slot become no_show (and welfare alerts for elders living alone).
    const noShows = jobFn('noShows');
    noShows.bindTable('meals', this.tables.meals, 'RW');
    const snapshot = jobFn('snapshot');
    snapshot.bindTable('beds', this.tables.beds, 'RW');
    // Scheduled: offers past their hold expire; vacant public beds go to the waiting list.
    const waitingList = jobFn('waitingList');
    waitingList.bindTable('beds', this.tables.beds, 'RW');

    // The platform link, outbound. Changed items carry their event; the tables' streams are the
    // outbox. The relay ledgers each event (dense per-county sequence, reconciliation counts)
    // and queues it on a FIFO queue grouped by entity; the deliverer signs and posts it, backs
    // off with jitter when the platform fails, and after the last attempt parks it as a dead
    // letter that staff list and replay. The SQS dead-letter queue is for messages the
    // deliverer itself keeps failing on (it parks refused events itself), hence the high count.
    const deliveryDlq = new sqs.Queue(this, 'PlatformDeliveryDlq', {
      fifo: true,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(deliveryDlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the platform delivery queue.' });
    this.deliveryQueue = new sqs.Queue(this, 'PlatformDeliveryQueue', {
      fifo: true,
      // High-throughput FIFO: ordering and deduplication per entity (message group).
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      // Six times the deliverer's timeout, as Lambda advises; retries set their own delays.
      visibilityTimeout: Duration.minutes(12),
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: deliveryDlq, maxReceiveCount: 100 },
    });
    // Stream batches whose records expired before the relay could take them (after 24 hours
    // of retries): their stream positions, for an operator to recover from the tables.
    const relayFailures = new sqs.Queue(this, 'PlatformRelayFailures', { retentionPeriod: Duration.days(14), encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    Validations.of(relayFailures).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is itself the on-failure destination of the relay\'s stream mappings.' });

    const relay = jobFn('platformRelay');
    relay.bindTable('platform', this.tables.platform, 'RW');
    relay.addEnvironment('DELIVERY_QUEUE_URL', this.deliveryQueue.queueUrl);
    this.deliveryQueue.grantSendMessages(relay);
    for (const name of jobs.platformRelay.trigger.tables) {
      relay.addEventSource(new DynamoEventSource(this.tables[name], {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: jobs.platformRelay.trigger.batchSize,
        maxBatchingWindow: Duration.seconds(1),
        // Order matters per shard: one batch at a time, resumed from the first failed record.
        parallelizationFactor: 1,
        reportBatchItemFailures: true,
        retryAttempts: -1,
        // Only records that carry an event reach the relay (counters and guards don't).
        filters: [lambda.FilterCriteria.filter(jobs.platformRelay.trigger.filter)],
        onFailure: new SqsDlq(relayFailures),
      }));
    }

    const deliverySecret = webhookSecret(this, 'PlatformDeliverySecret', 'Standard Webhooks secret that signs deliveries to the smart elderly-care platform (whsec_...)', stageSecrets.outbound);
    const deliver = jobFn('platformDeliver', {
      PLATFORM_URL: props.platformUrl ?? '',
      ...platformRetryEnvironment(platformRetryDefaults),
    });
    deliver.bindTable('platform', this.tables.platform, 'RW');
    deliver.addEnvironment('DELIVERY_QUEUE_URL', this.deliveryQueue.queueUrl);
    deliver.addEnvironment('PLATFORM_DELIVERY_SECRET_ARN', deliverySecret.secretArn);
    deliverySecret.grantRead(deliver);
    deliver.addEventSource(new SqsEventSource(this.deliveryQueue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: deliveryConcurrency }));
    // Staff replays put parked events back on the queue.
    this.functions.platformFeed.addEnvironment('DELIVERY_QUEUE_URL', this.deliveryQueue.queueUrl);
    this.deliveryQueue.grantSendMessages(this.functions.platformFeed);

    // Report jobs: the reports function records a job when a report is too big for a request;
    // the record's insert reaches this worker through the Meals stream (filtered to job
    // inserts; parallel per shard, since jobs are separate items). Both may write REPORT# items
    // of the Meals table and nothing else there.
    const reportJobWrites = (fn: ServiceFunction) => fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [this.tables.meals.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REPORT#*'] } },
    }));
    reportJobWrites(this.functions.mealReports);
    // Audit lines of personal data (functions/lib/audit.ts) live in the Registry table: the beds
    // function reads it only, but writes the audit lines of its care-bed applications there,
    // under AUDIT# keys and nothing else.
    this.functions.beds.addToRolePolicy(new iam.PolicyStatement({
      actions: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem'],
      resources: [this.tables.registry.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
    }));
    const reportWorker = jobFn('reportWorker');
    reportWorker.bindTable('meals', this.tables.meals, 'RO');
    reportWorker.bindTable('registry', this.tables.registry, 'RO');
    reportJobWrites(reportWorker);
    const reportWorkerFailures = new sqs.Queue(this, 'ReportWorkerFailures', { retentionPeriod: Duration.days(14), encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    Validations.of(reportWorkerFailures).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is itself the on-failure destination of the report worker\'s stream mapping.' });
    reportWorker.addEventSource(new DynamoEventSource(this.tables.meals, {
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: jobs.reportWorker.trigger.batchSize,
      parallelizationFactor: 10,
      // A crash or timeout is retried twice; the job then shows as failed to whoever polls it.
      retryAttempts: 2,
      filters: [lambda.FilterCriteria.filter(jobs.reportWorker.trigger.filter)],
      onFailure: new SqsDlq(reportWorkerFailures),
    }));

    this.jobs = { noShows, snapshot, waitingList, platformRelay: relay, platformDeliver: deliver, reportWorker };

    // The HTTP API, route by route from the route table.
    const api = new HttpApi(this, 'Api', {
      description: 'County elderly-care services API v1',
      createDefaultStage: false,
      // No CORS: the web pages reach the API on their own origin, through CloudFront's /v1/*.
    });
    // Kept 13 months: network logs at least six months (Cybersecurity Law Art. 21), and the
    // personal-data audit's year with a margin; they say who called from where.
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THIRTEEN_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
    });
    // Routes anyone can call without a token get limits of their own (the stage's are shared).
    (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      routeList.filter((r) => r.access === 'public' || r.access === 'signed').map((r) => {
        const t = r.access === 'signed' ? signedRouteThrottle : publicRouteThrottle;
        // A JSON property: CloudFormation's own (Pascal case) names, which CDK passes through as is.
        return [routeKey(r), { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit }];
      }),
    );
    // Access log fields: ids, route and status only; no query strings, bodies or tokens.
    (stage.node.defaultChild as CfnStage).accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status', latency: '$context.responseLatency',
        integrationLatency: '$context.integrationLatency', authorizerError: '$context.authorizer.error', time: '$context.requestTimeEpoch',
        // Who called, from where: the token's subject (JWT authorizer, or our Lambda authorizer's context) and the source IP.
        caller: '$context.authorizer.claims.sub', callerOidc: '$context.authorizer.sub', realm: '$context.authorizer.realm', sourceIp: '$context.identity.sourceIp',
      }),
    };
    // The web pages sign in with the stack's identity provider (authorization code with PKCE), at
    // the staff realm or the public one, as the person chooses on the sign-in page.
    if (partition === 'aws-cn' && !props.webDomain?.iamCertificateId) {
      throw new Error('CloudFront in the AWS China regions serves no content on its *.cloudfront.cn names: give the pages\' domain name, ICP-filed (ICP备案), and its certificate uploaded to IAM: -c webDomain=yanglao.example.gov.cn -c webIamCertificateId=<IAM server certificate id>.');
    }
    const web = new WebDistribution(this, 'Web', {
      webDistDir: props.webDistDir ?? fileURLToPath(new URL('../web/dist', import.meta.url)),
      api,
      signIn: identity.signIn,
      identityOrigins: identity.identityOrigins,
      ...(props.webDomain && { domain: props.webDomain }),
    });
    identity.addWebClients(web.url);
    this.web = web;
    const authorizer = identity.authorizer();
    const integrations = Object.fromEntries(
      functionGroups.map((g) => [g, new HttpLambdaIntegration(`${g}Integration`, this.functions[g])]),
    ) as Record<FunctionGroup, HttpLambdaIntegration>;
    for (const r of routeList) {
      const [route] = api.addRoutes({
        path: r.path,
        methods: [HttpMethod[r.method]],
        integration: integrations[r.fn],
        authorizer: r.access === 'public' || r.access === 'signed' ? new HttpNoneAuthorizer() : authorizer,
      });
      if (r.access === 'public') {
        Validations.of(route!).acknowledge({ id: 'AwsSolutions-APIG4', reason: `${r.method} ${r.path} is public by contract (no token needed).` });
      }
      if (r.access === 'signed') {
        Validations.of(route!).acknowledge({ id: 'AwsSolutions-APIG4', reason: `${r.method} ${r.path} is authenticated in the handler by its Standard Webhooks signature (the platform has no Cognito user).` });
      }
    }

    // A method and path no route has: the system function answers 404 NOT_FOUND in the error
    // envelope (without this route API Gateway answers {"message":"Not Found"}, a shape the
    // contract doesn't have). No authorizer: an unknown route is 404 with or without a token.
    const fallback = new HttpRoute(this, 'DefaultRoute', { httpApi: api, routeKey: HttpRouteKey.DEFAULT, integration: integrations.system, authorizer: new HttpNoneAuthorizer() });
    Validations.of(fallback).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'The $default route only answers 404 NOT_FOUND (no route matched); it reads and returns no data.' });

    // Alarms, to a topic the bureau's operators subscribe to (infra/constructs/alarms.ts).
    const alarms = new Alarms(this, 'Alarms', props.alarmRecipients ?? {});
    if (!props.alarmRecipients?.emails?.length && !props.alarmRecipients?.httpsUrls?.length) {
      Annotations.of(this).addWarningV2('eldercare:no-alarm-recipients', 'No alarm recipient: deploy with -c alarmEmail=... or -c alarmUrl=https://... so that alarms reach someone.');
    }
    alarms.watchApi(api, stage, accessLogs);
    alarms.watchConcurrency(props.concurrencyAlarmAt ?? 800);
    for (const [group, fn] of Object.entries(this.functions)) alarms.watchFunction(group, fn, access[group as FunctionGroup].timeout ?? Duration.seconds(10));
    for (const [name, fn] of Object.entries(this.jobs) as [JobName, ServiceFunction][]) alarms.watchFunction(name, fn, Duration.minutes(jobs[name].timeoutMinutes));
    // The authorizer: its errors or throttles refuse every signed-in caller.
    alarms.watchFunction('authorizer', identity.authorizerFunction, Duration.seconds(5));
    for (const [name, fn, hours] of heartbeats) alarms.heartbeat(name, fn, hours);
    for (const [name, queue] of scheduledFailures) {
      alarms.add(`${name}Failed`, `A run of the scheduled ${name} job failed after its retries (kept on its failures queue)`, queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }), 1);
    }
    for (const table of Object.values(this.tables)) alarms.watchTable(table.node.id, table);

    // The platform link: anything parked, a backlog that stops moving, a relay falling behind.
    const fiveMinutes = { period: Duration.minutes(5) };
    alarms.add('PlatformEventsParkedAlarm', 'Events were parked as dead letters: the platform refused them after every retry. Fix the cause, then replay (POST /v1/platform/dead-letters/replay).',
      new cloudwatch.Metric({ namespace: 'Eldercare', metricName: 'EventsParked', dimensionsMap: { service: 'eldercare-platform' }, statistic: 'Sum', ...fiveMinutes }), 1);
    alarms.add('PlatformDlqDepthAlarm', 'Messages reached the delivery dead-letter queue: the deliverer itself kept failing on them.', deliveryDlq.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...fiveMinutes }), 1);
    alarms.add('PlatformDlqAgeAlarm', 'A message has waited in the delivery dead-letter queue for over a day.', deliveryDlq.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', ...fiveMinutes }), 86_400);
    alarms.add('PlatformQueueAgeAlarm', 'The oldest event waiting for delivery is over an hour old: the platform is down or slow.', this.deliveryQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', ...fiveMinutes }), 3600);
    alarms.add('PlatformRelayFailuresAlarm', 'Stream records expired before the relay could take them: events must be recovered from the tables.', relayFailures.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...fiveMinutes }), 1);
    alarms.add('PlatformRelayLagAlarm', 'The relay is more than 5 minutes behind the table streams.', relay.metric('IteratorAge', { statistic: 'Maximum', ...fiveMinutes }), 300_000);
    alarms.add('ReportWorkerFailuresAlarm', 'Report jobs failed after their retries (kept on the report worker\'s failures queue).', reportWorkerFailures.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...fiveMinutes }), 1);

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'WebUrl', { value: web.url });
    if (identity.userPool && identity.staffPool) {
      new CfnOutput(this, 'UserPoolId', { value: identity.userPool.userPoolId, description: 'Families, meal-site devices, the platform account' });
      new CfnOutput(this, 'UserPoolClientId', { value: identity.apiClient!.userPoolClientId });
      new CfnOutput(this, 'StaffUserPoolId', { value: identity.staffPool.userPoolId, description: 'County, township and institution staff (MFA by TOTP required)' });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    // What `npm run check-secrets` reads (scripts/check-secrets.ts).
    new CfnOutput(this, 'PlatformWebhookSecretArn', { value: platformSecret.secretArn });
    new CfnOutput(this, 'PlatformDeliverySecretArn', { value: deliverySecret.secretArn });
  }
}
