import { tables } from '#shared/tables.js';
import { localTableNames } from './tables.js';

/**
 * Sets the environment the functions read, as the CDK stack does in AWS: table names, the
 * DynamoDB endpoint (the SDK's own AWS_ENDPOINT_URL_DYNAMODB), and the local PII key file
 * instead of KMS. Must run before the function modules are imported.
 */
export function applyLocalEnv(opts: { dynamoEndpoint: string; piiKeyFile: string; pageTokenKeyFile: string; platformSecret: string; deliverySecret: string; tablePrefix?: string; quiet?: boolean }): void {
  const names = localTableNames(opts.tablePrefix);
  for (const [key, def] of Object.entries(tables)) process.env[def.envVar] = names[key as keyof typeof tables];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: opts.dynamoEndpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    // This machine runs Node 20 and Lambda Node 22; the pinned SDK supports both.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_SECRET_ACCESS_KEY: 'local',
    PII_KEY_FILE: opts.piiKeyFile,
    PAGE_TOKEN_KEY_FILE: opts.pageTokenKeyFile,
    PLATFORM_WEBHOOK_SECRET: opts.platformSecret,
    PLATFORM_DELIVERY_SECRET: opts.deliverySecret,
    POWERTOOLS_SERVICE_NAME: 'eldercare-local',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: opts.quiet ? 'SILENT' : (process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO'),
  });
}
