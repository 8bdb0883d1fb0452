import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal, type DynamoLocal } from './dynamodb-local.js';
import { applyLocalEnv } from './env.js';
import { ensureLocalKeys, localJwks, localVerifier } from './keys.js';
import { startApiServer, type ApiServerOptions } from './server.js';
import { startPlatformLink, type PlatformLink } from './platform-link.js';
import { createTables, localTableNames } from './tables.js';
import { localWebHandler } from './web.js';

export interface LocalStack {
  readonly dynamo: DynamoLocal;
  readonly url: string;
  /** Absent when started without the platform link (the benchmarks measure the API alone). */
  readonly platform?: PlatformLink;
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
  /** The platform's webhook URL; unset, the reference receiver stands in for the platform. */
  platformUrl?: string;
  /** Relay events of the counties the receiver was told about only (tests). */
  platformOnlyWatchedCounties?: boolean;
  receiverPort?: number;
  /** Run the outbound delivery path too (default: yes). */
  platformLink?: boolean;
  log?: (line: string) => void;
}): Promise<LocalStack> {
  const { piiKeyFile, pageTokenKeyFile, platformSecret, deliverySecret } = await ensureLocalKeys(opts.localDir);
  const dynamo = await startDynamoLocal(opts.inMemory ? {} : { dbPath: join(opts.localDir, 'dynamodb') });
  let api: Awaited<ReturnType<typeof startApiServer>> | undefined;
  let platform: PlatformLink | undefined;
  try {
    applyLocalEnv({ dynamoEndpoint: dynamo.endpoint, piiKeyFile, pageTokenKeyFile, platformSecret, deliverySecret, quiet: opts.quiet ?? false });
    // Report jobs reach the report worker through the Meals stream, as in AWS, when the stream
    // jobs run (the platform link below); without them (the benchmarks measure the API alone)
    // the same worker code runs in the server's process right after the answer.
    if (opts.platformLink === false) process.env.REPORT_JOBS = 'in-process';
    else delete process.env.REPORT_JOBS;
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
    await createTables(client);
    client.destroy();
    // The API first: a port in use should stop everything before the delivery loop starts.
    api = await startApiServer({
      port: opts.apiPort,
      verify: localVerifier(opts.localDir),
      jwks: () => localJwks(opts.localDir),
      // The web pages and the local OIDC provider, on the API's origin.
      other: localWebHandler(opts.localDir),
      ...(opts.onTiming && { onTiming: opts.onTiming }),
    });
    const names = localTableNames();
    platform = opts.platformLink === false ? undefined : await startPlatformLink({
      dynamoEndpoint: dynamo.endpoint,
      tableNames: names,
      deliverySecret,
      ...(opts.platformUrl && { platformUrl: opts.platformUrl }),
      // With data kept between runs, so are the stream positions and the delivery queue.
      ...(!opts.inMemory && { checkpointFile: join(opts.localDir, 'stream-positions.json'), queueFile: join(opts.localDir, 'delivery-queue.jsonl') }),
      ...(opts.platformOnlyWatchedCounties && { onlyWatchedCounties: true }),
      ...(opts.receiverPort !== undefined && { receiverPort: opts.receiverPort }),
      ...(opts.log && { log: opts.log }),
    });
    const [server, link] = [api, platform];
    return { dynamo, url: server.url, ...(link && { platform: link }), close: async () => { await server.close(); await link?.close(); await dynamo.stop(); } };
  } catch (e) {
    await api?.close();
    await platform?.close();
    await dynamo.stop();
    throw e;
  }
}
