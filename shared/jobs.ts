import type { FunctionGroup } from './http/route.js';
import type { TableName } from './tables.js';

/**
 * What starts a job. `schedule`: EventBridge in AWS (a rate in minutes or a UTC cron), a timer
 * locally (`localEveryMs`, shorter than in AWS so a demo shows the effect). `stream`: the
 * DynamoDB streams of `tables` (locally the stream readers). `queue`: the platform delivery
 * queue (locally the in-process FIFO queue).
 */
export type JobTrigger =
  | { readonly kind: 'schedule'; readonly rateMinutes?: number; readonly cron?: { readonly minute: string; readonly hour: string }; readonly localEveryMs: number }
  | { readonly kind: 'stream'; readonly tables: readonly TableName[]; readonly filter: RecordFilter; readonly batchSize: number }
  | { readonly kind: 'queue' };

/**
 * Which stream records reach a job, as a Lambda event filter pattern (plain data: the stack
 * hands it to `FilterCriteria.filter`, the local stream readers match it with
 * `matchesRecordFilter`). The subset both sides understand: nested fields of the record, each
 * leaf a list of allowed strings or `{ exists: true | false }`.
 */
export interface RecordFilter {
  readonly [field: string]: RecordFilter | readonly (string | { readonly exists: boolean })[];
}

/**
 * Whether a stream record (Lambda's DynamoDB record shape: `eventName`, `dynamodb.Keys`,
 * `dynamodb.NewImage` in attribute-value form) passes `filter`: every field of the pattern
 * matches; a leaf matches when the record's value is one of its strings, or is present (or
 * absent) as its `exists` says.
 */
export function matchesRecordFilter(filter: RecordFilter, record: unknown): boolean {
  return Object.entries(filter).every(([field, want]) => {
    const value = record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[field] : undefined;
    if (!Array.isArray(want)) return matchesRecordFilter(want as RecordFilter, value);
    return (want as readonly (string | { exists: boolean })[]).some((w) => (typeof w === 'string' ? value === w : (value !== undefined) === w.exists));
  });
}

export interface JobSpec {
  /** The CDK construct id (the synth test and infra/bundle-budget.json key on it). */
  readonly id: string;
  /** The function group whose bundle settings and code the job shares. */
  readonly group: FunctionGroup;
  /** Handler file under functions/, exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Lambda timeout, in minutes. */
  readonly timeoutMinutes: number;
  /** Lambda memory, in MB; the stack's default when absent. */
  readonly memorySize?: number;
  readonly trigger: JobTrigger;
}

/**
 * The functions that answer no HTTP request, next to `functionEntries` (the HTTP ones): the CDK
 * stack creates one function per entry (and its schedule or event source), and `npm start`
 * runs the scheduled ones on timers (scripts/local/schedules.ts) and wires the stream and queue
 * ones to its local stream readers and queue (scripts/local/jobs.ts), both from this list alone.
 * A new job is declared here; its permissions and the rest of its event source (starting
 * position, retries, failure destination) stay in the stack, which is where they are reviewed.
 */
export const jobs = {
  noShows: {
    id: 'NoShowsJob',
    group: 'meals',
    entry: 'meals/jobs/no-shows.ts',
    description: 'Marks unserved bookings no_show; raises welfare alerts',
    timeoutMinutes: 5,
    // Every 15 minutes in AWS; every minute locally, with the same code.
    trigger: { kind: 'schedule', rateMinutes: 15, localEveryMs: 60_000 },
  },
  snapshot: {
    id: 'OccupancySnapshotJob',
    group: 'beds',
    entry: 'beds/jobs/snapshot.ts',
    description: 'Daily occupancy history point per county and township',
    timeoutMinutes: 5,
    // 15:50 UTC is 23:50 China Standard Time: the day's last state. Hourly locally (a rerun
    // overwrites the day's point).
    trigger: { kind: 'schedule', cron: { minute: '50', hour: '15' }, localEveryMs: 3_600_000 },
  },
  waitingList: {
    id: 'WaitingListJob',
    group: 'beds',
    entry: 'beds/jobs/waiting-list.ts',
    description: 'Expires offers past their hold; offers vacant public beds to the waiting list',
    timeoutMinutes: 5,
    // Holds are days long: a quarter of an hour late is nothing to an elder, and a discharge or
    // decline offers the bed at once anyway. Every minute locally.
    trigger: { kind: 'schedule', rateMinutes: 15, localEveryMs: 60_000 },
  },
  platformRelay: {
    id: 'PlatformRelayJob',
    group: 'platform',
    entry: 'platform/jobs/relay.ts',
    description: 'Ledgers outbound events from the table streams and queues them for delivery',
    timeoutMinutes: 1,
    // Only records that carry an outbound event (counters and guards don't), 100 at a time.
    trigger: { kind: 'stream', tables: ['registry', 'meals', 'beds'], filter: { dynamodb: { NewImage: { evt: { M: { id: { S: [{ exists: true }] } } } } } }, batchSize: 100 },
  },
  platformDeliver: {
    id: 'PlatformDeliverJob',
    group: 'platform',
    entry: 'platform/jobs/deliver.ts',
    description: 'Delivers queued events to the platform, signed; retries, parks what it refuses',
    timeoutMinutes: 2,
    memorySize: 256,
    trigger: { kind: 'queue' },
  },
  reportWorker: {
    id: 'ReportWorkerJob',
    group: 'mealReports',
    entry: 'meals/jobs/report-worker.ts',
    description: 'Computes meal reports too big for one request (report jobs)',
    timeoutMinutes: 5,
    memorySize: 2048,
    // The insert of a job record only, one a batch.
    trigger: { kind: 'stream', tables: ['meals'], filter: { eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: ['REPORTJOB'] } } } }, batchSize: 1 },
  },
} as const satisfies Record<string, JobSpec>;
export type JobName = keyof typeof jobs;
export const jobNames = Object.keys(jobs) as JobName[];
