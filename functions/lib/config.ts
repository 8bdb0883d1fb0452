import { cognitoClaims } from '#shared/auth/claims.js';
import { realms } from '#shared/auth/realms.js';
import type { RealmIssuer } from '../authorizer/verify.js';
import { platformRetryDefaults, platformRetryEnv, type PlatformRetrySettings } from '#shared/platform-retry.js';
import { tables, type TableName } from '#shared/tables.js';

/**
 * Configuration comes from environment variables set by the CDK stack (or the local server).
 * Read lazily, once, and fail fast with the variable's name: a missing table name should stop
 * the first request loudly, not surface as an obscure SDK error. This module is the only place
 * the functions read the environment (`grep process.env functions/` finds nothing else).
 *
 * Settings a running process may change are read live, not once: the local runner and the tests
 * point PLATFORM_URL at a new receiver, and set quicker retries, after the modules are loaded.
 */
function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`Missing environment variable ${name}`);
  return v;
}

const cache = new Map<string, string>();
const once = (name: string): string => {
  let v = cache.get(name);
  if (v === undefined) cache.set(name, (v = required(name)));
  return v;
};

export const config = {
  /**
   * The two issuers the Lambda authorizer trusts, one per realm (shared/auth/realms.ts), from
   * OIDC_<REALM>_ISSUER, OIDC_<REALM>_AUDIENCE (comma-separated), OIDC_<REALM>_JWKS_URI and where
   * its claims are, OIDC_<REALM>_CLAIM_ROLES, _COUNTY, _TOWNSHIP, _SITE, _INSTITUTION (Cognito's
   * names when unset); <REALM> is PUBLIC or STAFF.
   */
  oidcIssuers: (): RealmIssuer[] => realms.map((realm) => {
    const v = (name: string) => `OIDC_${realm.toUpperCase()}_${name}`;
    return {
      realm,
      issuer: once(v('ISSUER')),
      audience: once(v('AUDIENCE')).split(',').map((a) => a.trim()).filter(Boolean),
      jwksUri: once(v('JWKS_URI')),
      claims: {
        roles: process.env[v('CLAIM_ROLES')] || cognitoClaims.roles,
        county: process.env[v('CLAIM_COUNTY')] || cognitoClaims.county,
        township: process.env[v('CLAIM_TOWNSHIP')] || cognitoClaims.township,
        site: process.env[v('CLAIM_SITE')] || cognitoClaims.site,
        institution: process.env[v('CLAIM_INSTITUTION')] || cognitoClaims.institution,
      },
    };
  }),
  tableName: (t: TableName): string => once(tables[t].envVar),
  /** Local runs keep PII keys in a file; in AWS these are KMS key ids. */
  piiKeyFile: (): string | undefined => process.env.PII_KEY_FILE,
  piiHmacKeyId: (): string => once('PII_HMAC_KEY_ID'),
  piiEncryptKeyId: (): string => once('PII_ENCRYPT_KEY_ID'),
  /** Local runs keep the page-token key in a file; in AWS it is derived from a KMS HMAC key. */
  pageTokenKeyFile: (): string | undefined => process.env.PAGE_TOKEN_KEY_FILE,
  pageTokenKeyId: (): string => once('PAGE_TOKEN_KEY_ID'),
  version: (): string => process.env.APP_VERSION ?? '0.1.0',
  /** Powertools' service name and metrics namespace (set by the stack; defaults for local runs). */
  serviceName: (): string => process.env.POWERTOOLS_SERVICE_NAME ?? 'eldercare',
  metricsNamespace: (): string => process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Eldercare',
  /** The delivery queue's URL (SQS); unset locally, where the runner installs its own queue. */
  deliveryQueueUrl: (): string => once('DELIVERY_QUEUE_URL'),
  /** Where events are posted; undefined when no platform is configured (deliveries then fail and retry). Read live. */
  platformUrl: (): string | undefined => process.env.PLATFORM_URL || undefined,
  /** How long one post to the platform may take, in milliseconds. */
  platformTimeoutMs: (): number => Number(process.env.PLATFORM_TIMEOUT_MS ?? 10_000),
  /** The deliverer's retry settings: each from its variable when positive, else the shared default. Read live. */
  platformRetry: (): PlatformRetrySettings => {
    const n = (k: keyof PlatformRetrySettings) => {
      const v = Number(process.env[platformRetryEnv[k]]);
      return Number.isFinite(v) && v > 0 ? v : platformRetryDefaults[k];
    };
    return { maxAttempts: n('maxAttempts'), baseSeconds: n('baseSeconds'), capSeconds: n('capSeconds') };
  },
  /**
   * A platform webhook secret: the value itself when set (local runs, from the git-ignored key
   * folder), else the Secrets Manager ARN to read it from (AWS). Read live.
   */
  platformSecret: (value: string, arn: string): { value: string } | { arn: string } => {
    const local = process.env[value];
    if (local) return { value: local };
    return { arn: required(arn) };
  },
  /** The anomalies report's synchronous budget: milliseconds of reading, and servings. */
  reportSyncMs: (): number => Number(process.env.REPORT_SYNC_MS ?? 10_000),
  reportSyncMaxServings: (): number => Number(process.env.REPORT_SYNC_MAX_SERVINGS ?? 100_000),
  /** `in-process` (the local stack without its stream jobs) runs report jobs in the server. Read live. */
  reportJobsInProcess: (): boolean => process.env.REPORT_JOBS === 'in-process',
};
