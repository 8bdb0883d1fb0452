import { tables, type TableName } from '#shared/tables.js';

/**
 * Configuration comes from environment variables set by the CDK stack (or the local server).
 * Read lazily, once, and fail fast with the variable's name: a missing table name should stop
 * the first request loudly, not surface as an obscure SDK error.
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
  tableName: (t: TableName): string => once(tables[t].envVar),
  /** Local runs keep PII keys in a file; in AWS these are KMS key ids. */
  piiKeyFile: (): string | undefined => process.env.PII_KEY_FILE,
  piiHmacKeyId: (): string => once('PII_HMAC_KEY_ID'),
  piiEncryptKeyId: (): string => once('PII_ENCRYPT_KEY_ID'),
  /** Local runs keep the page-token key in a file; in AWS it is derived from a KMS HMAC key. */
  pageTokenKeyFile: (): string | undefined => process.env.PAGE_TOKEN_KEY_FILE,
  pageTokenKeyId: (): string => once('PAGE_TOKEN_KEY_ID'),
  version: (): string => process.env.APP_VERSION ?? '0.1.0',
};
