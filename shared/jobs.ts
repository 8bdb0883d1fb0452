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
  | { readonly kind: 'stream'; readonly tables: readonly TableName[] }
  | { readonly kind: 'queue' };

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
 * runs the scheduled ones on timers and wires the stream and queue ones to its local streams
 * and queue. A new job is declared here; its permissions and event source details stay in the
 * stack, which is where they are reviewed.
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
  platformRelay: {
    id: 'PlatformRelayJob',
    group: 'platform',
    entry: 'platform/jobs/relay.ts',
    description: 'Ledgers outbound events from the table streams and queues them for delivery',
    timeoutMinutes: 1,
    trigger: { kind: 'stream', tables: ['registry', 'meals', 'beds'] },
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
    trigger: { kind: 'stream', tables: ['meals'] },
  },
} as const satisfies Record<string, JobSpec>;
export type JobName = keyof typeof jobs;
export const jobNames = Object.keys(jobs) as JobName[];
