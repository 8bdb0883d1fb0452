import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { restrictedKey } from './keys.js';

/** The operations this code uses (an alarm's math expression takes at most ten metrics). */
const systemErrorOperations = [
  dynamodb.Operation.GET_ITEM, dynamodb.Operation.BATCH_GET_ITEM, dynamodb.Operation.QUERY, dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.DELETE_ITEM, dynamodb.Operation.BATCH_WRITE_ITEM, dynamodb.Operation.TRANSACT_WRITE_ITEMS,
  dynamodb.Operation.TRANSACT_GET_ITEMS,
];

/** Who the alarms reach: e-mail addresses and HTTPS endpoints (a duty phone's SMS gateway, a chat bot). */
export interface AlarmRecipients {
  readonly emails?: readonly string[];
  readonly httpsUrls?: readonly string[];
}

/**
 * The alarm topic and the alarms on it. The topic is encrypted with a key of its own whose
 * policy lets CloudWatch (for this account's alarms only) publish: with the AWS-managed SNS
 * key, whose policy nobody can change, CloudWatch's publishes are refused and no alarm ever
 * arrives. Recipients are a deploy parameter (`-c alarmEmail=...`, `-c alarmUrl=https://...`).
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, recipients: AlarmRecipients) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = restrictedKey(this, 'Key', { description: 'Encrypts the alarm topic; CloudWatch alarms of this account may use it to publish' });
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccountPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Eldercare alarms', enforceSSL: true, masterKey: this.key });
    for (const email of recipients.emails ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    for (const url of recipients.httpsUrls ?? []) this.topic.addSubscription(new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS }));
    this.action = new actions.SnsAction(this.topic);
  }

  /** One alarm to the topic. `missing: 'breaching'` is for heartbeats, where silence is the fault. */
  add(id: string, description: string, metric: cloudwatch.IMetric, threshold: number, opts: { below?: boolean; missing?: 'breaching'; periods?: number } = {}): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: opts.periods ?? 1,
      comparisonOperator: opts.below ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: opts.missing === 'breaching' ? cloudwatch.TreatMissingData.BREACHING : cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }

  /**
   * The API: 5xx, a spike of 4xx, a spike of 401 (from the access log, which has the status;
   * API Gateway's metrics lump every 4xx together), and p99 latency.
   */
  watchApi(api: HttpApi, stage: HttpStage, accessLogs: logs.ILogGroup): void {
    const dims = { ApiId: api.apiId, Stage: stage.stageName };
    const five = Duration.minutes(5);
    this.add('Api5xx', 'The API answered with 5xx errors', new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName: '5xx', dimensionsMap: dims, statistic: 'Sum', period: five }), 5);
    // A normal day's 4xx are refused bookings and expired tokens, a few dozen an hour; hundreds
    // in five minutes is a broken client release or someone probing.
    this.add('Api4xxSpike', 'Over 300 4xx answers in 5 minutes: a broken client or probing', new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName: '4xx', dimensionsMap: dims, statistic: 'Sum', period: five }), 300);
    new logs.MetricFilter(this, 'UnauthorizedFilter', {
      logGroup: accessLogs,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '401'),
      metricNamespace: 'Eldercare',
      metricName: 'ApiUnauthorized',
      metricValue: '1',
      defaultValue: 0,
    });
    this.add('Api401Spike', 'Over 50 answers 401 in 5 minutes: tokens refused (a sign-in fault, a wrong issuer, or stolen tokens tried)',
      new cloudwatch.Metric({ namespace: 'Eldercare', metricName: 'ApiUnauthorized', statistic: 'Sum', period: five }), 50);
    this.add('ApiLatencyP99', 'p99 latency over 5 s for 15 minutes', new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensionsMap: dims, statistic: 'p99', period: five }), 5000, { periods: 3 });
  }

  /** A function: unhandled errors, throttles, and a run near its timeout (80 %), which times out next. */
  watchFunction(name: string, fn: lambda.Function, timeout: Duration): void {
    const five = { period: Duration.minutes(5) };
    this.add(`${name}Errors`, `The ${name} function failed (unhandled errors)`, fn.metricErrors({ ...five, statistic: 'Sum' }), 1);
    this.add(`${name}Throttles`, `The ${name} function was throttled`, fn.metricThrottles({ ...five, statistic: 'Sum' }), 1);
    this.add(`${name}NearTimeout`, `A run of the ${name} function took over 80 % of its ${timeout.toSeconds()} s timeout`,
      fn.metricDuration({ ...five, statistic: 'Maximum' }), Math.round(timeout.toMilliseconds() * 0.8));
  }

  /**
   * A scheduled job's heartbeat: no invocation in `windowHours` alarms (missing data is
   * breaching, so a deleted rule or a disabled schedule is caught as well as a failing one).
   * Periods of `windowHours / 4` hours, all four empty, so a run a minute late is not an alarm.
   */
  heartbeat(name: string, fn: lambda.Function, windowHours: number): void {
    const period = Duration.minutes((windowHours * 60) / 4);
    this.add(`${name}Heartbeat`, `The scheduled ${name} job did not run in ${windowHours} h`, fn.metricInvocations({ period, statistic: 'Sum' }), 1, { below: true, missing: 'breaching', periods: 4 });
  }

  /** A table: throttled requests and DynamoDB's own errors (HTTP 500s on its side). */
  watchTable(name: string, table: dynamodb.ITableV2): void {
    const period = Duration.minutes(5);
    this.add(`${name}Throttles`, `Requests to the ${name} table were throttled`, new cloudwatch.MathExpression({
      expression: 'r + w',
      usingMetrics: { r: table.metric('ReadThrottleEvents', { statistic: 'Sum', period }), w: table.metric('WriteThrottleEvents', { statistic: 'Sum', period }) },
      period,
    }), 1);
    this.add(`${name}SystemErrors`, `DynamoDB answered requests to the ${name} table with system errors`,
      table.metricSystemErrorsForOperations({ period, statistic: 'Sum', operations: systemErrorOperations }), 1);
  }

  /** The account's concurrency near its quota: the API and the jobs share it. */
  watchConcurrency(threshold: number): void {
    this.add('AccountConcurrency', `Lambda concurrency in this region reached ${threshold} (the quota is shared by the API and the jobs)`,
      new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', statistic: 'Maximum', period: Duration.minutes(1) }), threshold, { periods: 3 });
  }
}
