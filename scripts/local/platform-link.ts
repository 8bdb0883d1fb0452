import type { DynamoDBRecord } from 'aws-lambda';
import { jobs } from '#shared/jobs.js';
import { platformRetryEnvironment, platformRetryLocal } from '#shared/platform-retry.js';
import { LocalFifoQueue, startQueuePoller } from './fifo-queue.js';
import { lambdaContext } from './lambda-context.js';
import { startPlatformReceiver, type PlatformReceiver } from './platform-receiver.js';
import { startStreamReaders } from './streams.js';

export interface PlatformLink {
  readonly queue: LocalFifoQueue;
  /** Set when no platform URL was configured and the reference receiver was started. */
  readonly receiver?: PlatformReceiver;
  close(): Promise<void>;
}

/**
 * The outbound delivery path on one machine, with the Lambda handlers AWS runs: the stream
 * readers feed the relay handler (functions/platform/jobs/relay.ts) as the DynamoDB event
 * source mapping would; the relay puts messages on a local FIFO queue, whose poller feeds the
 * delivery handler (jobs/deliver.ts) as the SQS event source mapping would. The platform is
 * PLATFORM_URL if set, otherwise the reference receiver started here.
 *
 * Must run after applyLocalEnv (the handlers read their tables and secrets from it).
 */
export async function startPlatformLink(opts: {
  dynamoEndpoint: string;
  tableNames: readonly string[];
  deliverySecret: string;
  platformUrl?: string;
  receiverPort?: number;
  checkpointFile?: string;
  /** Keeps the delivery queue across restarts, as SQS keeps it (see LocalFifoQueue). */
  queueFile?: string;
  /** Relay only the counties the receiver was told about (the tests share one stream). */
  onlyWatchedCounties?: boolean;
  /** A receiver already running, which outlives this link (tests that stop and start the link). */
  receiver?: PlatformReceiver;
  log?: (line: string) => void;
}): Promise<PlatformLink> {
  const receiverAt = (port: number) => startPlatformReceiver({ port, secret: opts.deliverySecret, ...(opts.log && { log: opts.log }) });
  // The port asked for (npm start: the API's + 1), or any free one if it is taken.
  const ownReceiver = !opts.platformUrl && !opts.receiver;
  const receiver = opts.receiver ?? (opts.platformUrl ? undefined : await receiverAt(opts.receiverPort ?? 0).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EADDRINUSE') throw e;
    return receiverAt(0);
  }));
  process.env.PLATFORM_URL = opts.platformUrl ?? receiver!.url;
  // Retries are quicker than in AWS so a demo shows them; what the caller (a test) set is kept.
  for (const [name, value] of Object.entries(platformRetryEnvironment(platformRetryLocal))) process.env[name] ??= value;

  const { useDeliveryQueue } = await import('#functions/platform/queue.js');
  const relay = await import('#functions/platform/jobs/relay.js');
  const deliver = await import('#functions/platform/jobs/deliver.js');
  // As in the stack: the redrive moves a message only when the deliverer itself keeps failing
  // on it (a platform that keeps refusing makes the deliverer park the event first). It is
  // generous because a group's later messages are received, untried, with their head.
  // With a queue file, what waits for delivery survives a stop or a crash, as the SQS queue does
  // in AWS (it used to live in memory: events queued but not delivered were lost on Ctrl-C).
  const queue = new LocalFifoQueue({ visibilityTimeoutSeconds: 30, maxReceiveCount: 100, ...(opts.queueFile && { journalFile: opts.queueFile }) });
  useDeliveryQueue(queue);

  const onError = (what: string) => (e: Error) => opts.log?.(`[platform link] ${what}: ${e.message}`);
  const countyOf = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.evt?.M?.county?.S;
  const readers = startStreamReaders({
    endpoint: opts.dynamoEndpoint,
    tableNames: opts.tableNames,
    // The stack's event filter: only records that carry an event.
    filter: (r) => {
      const county = countyOf(r);
      return county !== undefined && (!opts.onlyWatchedCounties || receiver?.watches(county) === true);
    },
    handler: (event) => relay.handler(event, lambdaContext('platform-relay', jobs.platformRelay.timeoutMinutes * 60_000)),
    pollMs: 100,
    retryMs: 500,
    ...(opts.checkpointFile && { checkpointFile: opts.checkpointFile }),
    onError: onError('relay'),
  });
  const poller = startQueuePoller(queue, (event) => deliver.handler(event, lambdaContext('platform-deliver', jobs.platformDeliver.timeoutMinutes * 60_000)), { onError: onError('delivery') });
  return {
    queue,
    ...(receiver && { receiver }),
    // Both at once: the readers finish relaying (and queueing) their batch, the poller its
    // deliveries (and deletes them from the queue); neither starts another. What is left on the
    // queue stays in its journal for the next start. Then the platform goes (if it is ours).
    async close() {
      await Promise.all([readers.stop(), poller.stop()]);
      if (ownReceiver) await receiver?.close();
    },
  };
}
