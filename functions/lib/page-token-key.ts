import { readFileSync } from 'node:fs';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { config } from './config.js';

/**
 * The key that signs list nextTokens (32 bytes, HMAC-SHA256), loaded once per process on the
 * first list request. Locally it sits in the git-ignored key folder (PAGE_TOKEN_KEY_FILE). In
 * AWS it is derived from a KMS HMAC key of its own (PAGE_TOKEN_KEY_ID): KMS computes the MAC of
 * a fixed label, once per cold start, and the functions sign with that in memory. So no secret
 * is stored anywhere, a single KMS call (~10-20 ms, $0.000003) is paid per execution
 * environment rather than per request, and only the functions that serve lists (granted
 * kms:GenerateMac on that key alone) can make tokens. Changing the label (or the key) turns
 * every outstanding token into a 400: a client then starts its list again.
 */
const LABEL = 'eldercare page tokens v1';

let key: Promise<Buffer> | undefined;

export function pageTokenKey(): Promise<Buffer> {
  key ??= load().catch((e: unknown) => {
    // A failed load is not cached: the next request tries again.
    key = undefined;
    throw e;
  });
  return key;
}

async function load(): Promise<Buffer> {
  const file = config.pageTokenKeyFile();
  if (file) return Buffer.from((JSON.parse(readFileSync(file, 'utf8')) as { key: string }).key, 'base64');
  const out = await new KMSClient({}).send(new GenerateMacCommand({ KeyId: config.pageTokenKeyId(), MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(LABEL) }));
  return Buffer.from(out.Mac!);
}
