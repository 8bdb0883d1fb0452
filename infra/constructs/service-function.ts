import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { tables, type TableName } from '../../shared/tables.js';

export const projectRoot = join(import.meta.dirname, '..', '..');

/**
 * Table access modes, as DynamoDB actions. No mode includes Scan: every access is keyed.
 * DESCRIBE is the health check's: DescribeTable on the table itself, no item access at all.
 */
const actions = {
  DESCRIBE: ['dynamodb:DescribeTable'],
  RO: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'],
  RW: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
} as const;
export type AccessMode = keyof typeof actions;

/**
 * Modules the SDK only `import()`s when it needs them, and here never does: credential
 * providers for when the environment holds no credentials (in Lambda it always holds the
 * execution role's), and the event-stream codec (none of DynamoDB, KMS, SQS or Secrets Manager
 * streams events). Leaving them out of the bundles saves about 150 KB a function (the
 * providers pull in STS and SSO clients). Should one ever be reached, its import fails loudly.
 */
/**
 * Packages the bundles take from a smaller module of ours. `@aws-lambda-powertools/jmespath`:
 * Powertools Idempotency imports a whole JMESPath interpreter (about 23 KB of each bundle with
 * an Idempotency-Key route) to read two plain fields; functions/lib/jmespath-fields reads field
 * paths and throws on anything else (a unit test holds it to the package's answers). Its
 * `/functions` subpath maps to functions/lib/jmespath-fields/functions.ts.
 */
export const bundleAliases: Readonly<Record<string, string>> = {
  '@aws-lambda-powertools/jmespath': join(projectRoot, 'functions', 'lib', 'jmespath-fields'),
};

/** ESM bundles of CommonJS dependencies still call require(). */
export const esmRequireBanner = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

export const lazySdkImports = [
  '@smithy/core/event-streams',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/** AWS partitions this stack deploys to; the stack puts its own under this context key. */
export type Partition = 'aws' | 'aws-cn';
export const partitionContext = 'eldercare:partition';

export interface ServiceFunctionProps {
  /** Function group: the entry is functions/<group>/lambda.ts unless `entry` says otherwise. */
  readonly group: string;
  /** Entry file relative to functions/, for functions that are not HTTP (scheduled jobs). */
  readonly entry?: string;
  readonly description: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Reserved concurrency (jobs only: the API's functions share the account's unreserved pool). */
  readonly reservedConcurrency?: number;
  readonly environment?: Record<string, string>;
}

/**
 * A NodejsFunction with the defaults every function here shares: Node.js 22 on arm64,
 * bundled by the local esbuild as minified, tree-shaken ESM with source maps (the AWS SDK
 * bundled in, which starts faster than the runtime's copy), its own log group with a
 * retention, and a role with no managed policies: it gets exactly what `bindTable` grants.
 */
export class ServiceFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    // X-Ray's integration with Lambda does not exist in the AWS China regions.
    const tracing = (scope.node.tryGetContext(partitionContext) ?? 'aws') === 'aws';
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: logs.RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.group} function`,
    });
    super(scope, id, {
      entry: join(projectRoot, 'functions', props.entry ?? join(props.group, 'lambda.ts')),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrency !== undefined && { reservedConcurrentExecutions: props.reservedConcurrency }),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `eldercare-${props.group}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Eldercare',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        externalModules: [...lazySdkImports],
        banner: esmRequireBanner,
        esbuildArgs: { '--alias': Object.entries(bundleAliases).map(([from, to]) => `${from}=${to}`) },
        tsconfig: join(projectRoot, 'tsconfig.json'),
      },
    });
    logGroup.grantWrite(role);
    this.serviceRole = role;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime this code base targets and tests; moving to 24 is a deliberate upgrade, not an automatic one.',
    });
    if (tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords only accept Resource "*".',
      });
    }
  }

  readonly serviceRole: iam.Role;

  /** Grants exactly `mode` on the table (and its indexes) and passes its name in the environment. */
  bindTable(name: TableName, table: ITableV2, mode: AccessMode): this {
    this.addEnvironment(tables[name].envVar, table.tableName);
    if (mode === 'DESCRIBE') {
      // The table's own ARN only: DescribeTable has nothing to do on its indexes.
      this.addToRolePolicy(new iam.PolicyStatement({ actions: [...actions.DESCRIBE], resources: [table.tableArn] }));
      return this;
    }
    table.grant(this, ...actions[mode]);
    if (tables[name].globalIndexes.length) {
      const logicalId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement);
      Validations.of(this.serviceRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason: `Queries on the ${tables[name].id} table's own indexes (${tables[name].globalIndexes.map((i) => i.name).join(', ')}); index ARNs are only known as table/index/*.`,
      });
    }
    return this;
  }
}
