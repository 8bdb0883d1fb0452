import { existsSync, renameSync } from 'node:fs';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { jobNames, jobs, matchesRecordFilter, type JobName, type JobTrigger, type RecordFilter } from '#shared/jobs.js';
import type { TableName } from '#shared/tables.js';
import { startQueuePoller, type LocalFifoQueue } from './fifo-queue.js';
import { lambdaContext } from './lambda-context.js';
import { startStreamReaders } from './streams.js';

/** How `npm start` runs one job of shared/jobs.ts, derived from its trigger alone. */
export type LocalWiring =
  | { readonly job: JobName; readonly kind: 'timer'; readonly everyMs: number }
  | { readonly job: JobName; readonly kind: 'stream'; readonly tables: readonly TableName[]; readonly filter: RecordFilter; readonly batchSize: number }
  | { readonly job: JobName; readonly kind: 'queue' };

/**
 * The local stand-in for every job's event source, one entry per job of the list: a timer for a
 * schedule (scripts/local/schedules.ts), stream readers for a stream (with the job's own filter
 * and batch size, as its event source mapping has them), the delivery queue's poller for a
 * queue. A new job in shared/jobs.ts is wired here without another line.
 */
export function localWiring(): LocalWiring[] {
  return jobNames.map((job): LocalWiring => {
    const t: JobTrigger = jobs[job].trigger;
    if (t.kind === 'schedule') return { job, kind: 'timer', everyMs: t.localEveryMs };
    if (t.kind === 'stream') return { job, kind: 'stream', tables: t.tables, filter: t.filter, batchSize: t.batchSize };
    // The compiler holds this to the last kind: a new kind of trigger fails here until wired.
    const queue: { kind: 'queue' } = t;
    return { job, kind: queue.kind };
  });
}

type JobHandler = (event: unknown, context: Context) => Promise<unknown>;

/** A job's own Lambda handler (its `entry` under functions/), loaded as the stack bundles it. */
export async function jobHandler(job: JobName): Promise<JobHandler> {
  const mod = (await import(`../../functions/${jobs[job].entry}`)) as { handler?: JobHandler };
  if (typeof mod.handler !== 'function') throw new Error(`functions/${jobs[job].entry} exports no handler`);
  return mod.handler;
}

/** One invocation of a job's handler with a Lambda context whose deadline is the job's timeout. */
export const invokeJob = (job: JobName, handler: JobHandler, event: unknown): Promise<unknown> => handler(event, lambdaContext(job, jobs[job].timeoutMinutes * 60_000));

export interface EventJobsOptions {
  readonly dynamoEndpoint: string;
  /** The local name of each table (see scripts/local/tables.ts). */
  readonly tableNames: Readonly<Record<TableName, string>>;
  /** The queue that `queue` jobs consume (the platform delivery queue). */
  readonly queue: LocalFifoQueue;
  /** Which jobs to wire (default: every stream and queue job). */
  readonly only?: (job: JobName) => boolean;
  /** A further narrowing of a job's records (tests that share one stream); the job's own filter always applies. */
  readonly alsoFilter?: (job: JobName, record: DynamoDBRecord) => boolean;
  /**
   * Where stream positions are kept between runs, one file per job: `<base>.<job>.json` beside
   * `base`, so a restart does not replay the streams (absent: from the start of each stream).
   */
  readonly checkpointBase?: string;
  readonly onError: (job: JobName, e: Error) => void;
}

/**
 * Starts every stream and queue job of shared/jobs.ts against DynamoDB Local's streams and the
 * local queue, as their event source mappings run them in AWS: each job reads its own tables
 * with its own positions, filter and batch size, and reports failures the mapping's way.
 */
export async function startEventJobs(opts: EventJobsOptions): Promise<{ stop(): Promise<void> }> {
  const stops: (() => Promise<void>)[] = [];
  for (const w of localWiring()) {
    if (w.kind === 'timer' || (opts.only && !opts.only(w.job))) continue;
    const handler = await jobHandler(w.job);
    if (w.kind === 'queue') {
      const poller = startQueuePoller(opts.queue, (event: SQSEvent) => invokeJob(w.job, handler, event) as ReturnType<Parameters<typeof startQueuePoller>[1]>, { onError: (e) => opts.onError(w.job, e) });
      stops.push(() => poller.stop());
      continue;
    }
    const readers = startStreamReaders({
      endpoint: opts.dynamoEndpoint,
      tableNames: w.tables.map((t) => opts.tableNames[t]),
      filter: (r) => matchesRecordFilter(w.filter, r) && (opts.alsoFilter?.(w.job, r) ?? true),
      handler: (event: DynamoDBStreamEvent) => invokeJob(w.job, handler, event) as ReturnType<Parameters<typeof startStreamReaders>[0]['handler']>,
      batchSize: w.batchSize,
      pollMs: 100,
      retryMs: 500,
      ...(opts.checkpointBase && { checkpointFile: checkpointFile(opts.checkpointBase, w.job) }),
      onError: (e) => opts.onError(w.job, e),
    });
    stops.push(() => readers.stop());
  }
  return { stop: async () => void (await Promise.all(stops.map((s) => s()))) };
}

/**
 * A job's positions file. The relay's positions used to be kept in `base` itself (when it was
 * the only stream job run locally): they move to its own file once, so data kept in `.local/`
 * from before is not relayed again.
 */
function checkpointFile(base: string, job: JobName): string {
  const file = `${base.replace(/\.json$/, '')}.${job}.json`;
  if (job === 'platformRelay' && existsSync(base) && !existsSync(file)) renameSync(base, file);
  return file;
}
