import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal, type DynamoLocal } from './dynamodb-local.js';
import { applyLocalEnv } from './env.js';
import { ensureLocalKeys, localJwks, localVerifier } from './keys.js';
import { startApiServer, type ApiServerOptions } from './server.js';
import { createTables } from './tables.js';

export interface LocalStack {
  readonly dynamo: DynamoLocal;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Everything `npm start` and the integration tests run: keys, DynamoDB Local, tables made from
 * the CDK definitions, and the API server in front of the real handlers.
 */
export async function startLocalStack(opts: {
  localDir: string;
  inMemory: boolean;
  apiPort: number;
  quiet?: boolean;
  onTiming?: ApiServerOptions['onTiming'];
}): Promise<LocalStack> {
  const { piiKeyFile, platformSecret } = await ensureLocalKeys(opts.localDir);
  const dynamo = await startDynamoLocal(opts.inMemory ? {} : { dbPath: join(opts.localDir, 'dynamodb') });
  try {
    applyLocalEnv({ dynamoEndpoint: dynamo.endpoint, piiKeyFile, platformSecret, quiet: opts.quiet ?? false });
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
    await createTables(client);
    client.destroy();
    const api = await startApiServer({
      port: opts.apiPort,
      verify: localVerifier(opts.localDir),
      jwks: () => localJwks(opts.localDir),
      ...(opts.onTiming && { onTiming: opts.onTiming }),
    });
    return { dynamo, url: api.url, close: async () => { await api.close(); await dynamo.stop(); } };
  } catch (e) {
    await dynamo.stop();
    throw e;
  }
}
