import type { DynamoDBRecord } from 'aws-lambda';
import { platformRetryEnvironment, platformRetryLocal } from '#shared/platform-retry.js';
import type { TableName } from '#shared/tables.js';
import { LocalFifoQueue } from './fifo-queue.js';
import { startEventJobs } from './jobs.js';
import { startPlatformReceiver, type PlatformReceiver } from './platform-receiver.js';

export interface PlatformLink {
  readonly queue: LocalFifoQueue;
  /** Set when no platform URL was configured and the reference receiver was started. */
  readonly receiver?: PlatformReceiver;
  close(): Promise<void>;
}

/**
 * The outbound delivery path on one machine, with the Lambda handlers AWS runs, and with it
 * every other stream and queue job of shared/jobs.ts (the report worker): each job's stream
 * readers feed its handler as its DynamoDB event source mapping would (the relay,
 * functions/platform/jobs/relay.ts, puts messages on a local FIFO queue), and the queue's
 * poller feeds the queue job (jobs/deliver.ts) as the SQS event source mapping would; the
 * wiring comes from the job list alone (scripts/local/jobs.ts). The platform is PLATFORM_URL if
 * set, otherwise the reference receiver started here.
 *
 * Must run after applyLocalEnv (the handlers read their tables and secrets from it).
 */
export async function startPlatformLink(opts: {
  dynamoEndpoint: string;
  /** The local name of each table. */
  tableNames: Readonly<Record<TableName, string>>;
  deliverySecret: string;
  platformUrl?: string;
  receiverPort?: number;
  /** Stream positions kept between runs: one file per stream job beside this path (see startEventJobs). */
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
  // As in the stack: the redrive moves a message only when the deliverer itself keeps failing
  // on it (a platform that keeps refusing makes the deliverer park the event first). It is
  // generous because a group's later messages are received, untried, with their head.
  // With a queue file, what waits for delivery survives a stop or a crash, as the SQS queue does
  // in AWS (it used to live in memory: events queued but not delivered were lost on Ctrl-C).
  const queue = new LocalFifoQueue({ visibilityTimeoutSeconds: 30, maxReceiveCount: 100, ...(opts.queueFile && { journalFile: opts.queueFile }) });
  useDeliveryQueue(queue);

  const countyOf = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.evt?.M?.county?.S;
  const eventJobs = await startEventJobs({
    dynamoEndpoint: opts.dynamoEndpoint,
    tableNames: opts.tableNames,
    queue,
    // Tests share one stream: the relay takes only the counties the receiver was told about.
    ...(opts.onlyWatchedCounties && { alsoFilter: (_job, r) => { const county = countyOf(r); return county === undefined || receiver?.watches(county) === true; } }),
    ...(opts.checkpointFile && { checkpointBase: opts.checkpointFile }),
    onError: (job, e) => opts.log?.(`[platform link] ${job}: ${e.message}`),
  });
  return {
    queue,
    ...(receiver && { receiver }),
    // Both at once: the readers finish relaying (and queueing) their batch, the poller its
    // deliveries (and deletes them from the queue); neither starts another. What is left on the
    // queue stays in its journal for the next start. Then the platform goes (if it is ours).
    async close() {
      await eventJobs.stop();
      if (ownReceiver) await receiver?.close();
    },
  };
}
