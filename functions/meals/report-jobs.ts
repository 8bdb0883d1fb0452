import { gunzipSync, gzipSync } from 'node:zlib';
import { staffCoversTownship } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type { anomalies, reportJob } from '#shared/schemas/reports.js';
import type * as z from 'zod/mini';
import { newId } from '../lib/ids.js';
import { config } from '../lib/config.js';
import { logger } from '../lib/powertools.js';
import { monthlyAnomalies, ReportOverBudget, reportScope, type ReportBudget } from './reports.js';
import * as store from './store/index.js';

/**
 * Reports that take too long for one request run as jobs. The anomalies report first tries to
 * answer within the request, under a budget (seconds, and servings read); over it, or when the
 * client sends `Prefer: respond-async`, it records a job and answers 202 with where to poll.
 *
 * In AWS the job record's insert reaches the report worker through the Meals table's stream
 * (an event source mapping filtered to job inserts): no queue, and no job without its record.
 * Locally the local stack's stream readers feed the same worker (scripts/local/jobs.ts); when it
 * runs without them (REPORT_JOBS=in-process: the benchmarks) the worker code runs in the
 * server's process right after the answer.
 */

/**
 * The request's budget: 10 s of reading (API Gateway answers 504 at 30 s; what remains is for
 * the elders' reads, the rules and the answer) and 100,000 servings (a 36-site county's month
 * is about 33,000).
 */
export const syncBudget = (now = Date.now()): ReportBudget => ({
  deadline: now + config.reportSyncMs(),
  maxServings: config.reportSyncMaxServings(),
});

/** A job's answer larger than this fails: Lambda answers at most 6 MB. */
const MAX_RESULT_BYTES = 5_500_000;
/** Past this, a job still running has died (the worker's timeout is 5 minutes). */
const STALE_MS = 15 * 60_000;

type Anomalies = z.input<typeof anomalies>;
export type ReportJobView = z.input<typeof reportJob>;

export type AnomaliesAnswer = { status: 200; body: Anomalies } | { status: 202; body: ReportJobView; headers: Record<string, string> };

/** The anomalies report now (200), or as a job to poll (202) when it is too big for one request. */
export async function anomaliesNowOrLater(p: Principal, month: string, township: string | undefined, opts: { preferAsync: boolean; now: Date }): Promise<AnomaliesAnswer> {
  // The report's area checks, before anything is read or recorded.
  const scope = reportScope(p, township);
  if (!opts.preferAsync) {
    try {
      return { status: 200, body: await monthlyAnomalies(p, month, township, syncBudget(opts.now.getTime())) };
    } catch (e) {
      if (!(e instanceof ReportOverBudget)) throw e;
    }
  }
  const job: store.ReportJob = {
    reportId: newId('rpt', opts.now.getTime()),
    kind: 'meals.anomalies',
    status: 'running',
    county: p.county,
    month,
    ...(scope && { township: scope }),
    requestedBy: { sub: p.sub, ...(p.township && { township: p.township }) },
    requestedAt: opts.now.toISOString(),
  };
  await store.putReportJob(job);
  if (config.reportJobsInProcess()) {
    setImmediate(() => runReportJob(job.reportId).catch((e: unknown) => logger.error('report job failed to start', { reportId: job.reportId, error: e instanceof Error ? e.name : String(e) })));
  }
  return { status: 202, body: jobView(job, opts.now), headers: { location: `/v1/reports/jobs/${job.reportId}`, 'retry-after': '5' } };
}

/**
 * The worker: computes a job's report with no budget and stores it. Safe to run twice (a
 * retried stream record): a job no longer running is left alone, and results are stored per
 * run, the first finished run winning.
 */
export async function runReportJob(reportId: string, now = () => new Date()): Promise<void> {
  const job = await store.getReportJob(reportId);
  if (job?.status !== 'running') return;
  const p: Principal = { sub: job.requestedBy.sub, role: 'staff', county: job.county, ...(job.requestedBy.township && { township: job.requestedBy.township }) };
  try {
    const started = performance.now();
    const report = await monthlyAnomalies(p, job.month, job.township);
    const json = Buffer.from(JSON.stringify(report), 'utf8');
    if (json.length > MAX_RESULT_BYTES) {
      await store.failReportJob(reportId, { code: 'RESULT_TOO_LARGE', message: `${report.items.length} anomalies are more than one answer can carry; ask for one township at a time.` }, now().toISOString());
      return;
    }
    await store.finishReportJob(job, newId('run'), gzipSync(json), now().toISOString());
    logger.info('report job done', { reportId, items: report.items.length, ms: Math.round(performance.now() - started) });
  } catch (e) {
    logger.error('report job failed', { reportId, error: e instanceof Error ? { name: e.name, message: e.message } : String(e) });
    await store.failReportJob(reportId, { code: 'INTERNAL', message: 'The report could not be computed; ask for it again.' }, now().toISOString());
  }
}

/** A job as its requester sees it: 202 while running, 200 with the result (or why it failed). */
export async function readReportJob(p: Principal, reportId: string, now: Date): Promise<{ status: 200 | 202; body: ReportJobView }> {
  if (p.role !== 'staff') throw errors.forbidden('Reports are for civil-affairs staff.');
  const job = await store.getReportJob(reportId);
  // Another county's job is not confirmed to exist.
  if (!job || job.county !== p.county) throw errors.notFound('Report job');
  if (job.township ? !staffCoversTownship(p, job.township) : p.township !== undefined) throw errors.forbidden('This report covers more than the caller\'s area.');
  if (job.status !== 'done') return { status: job.status === 'running' && !stale(job, now) ? 202 : 200, body: jobView(job, now) };
  const result = JSON.parse(gunzipSync(await store.reportJobResult(job)).toString('utf8')) as Anomalies;
  return { status: 200, body: { ...jobView(job, now), result } };
}

const stale = (job: store.ReportJob, now: Date) => now.getTime() - Date.parse(job.requestedAt) > STALE_MS;

function jobView(job: store.ReportJob, now: Date): ReportJobView {
  const died = job.status === 'running' && stale(job, now);
  return {
    reportId: job.reportId,
    kind: job.kind,
    status: died ? 'failed' : job.status,
    month: job.month,
    ...(job.township && { township: job.township }),
    requestedAt: job.requestedAt,
    ...(job.finishedAt && { finishedAt: job.finishedAt }),
    ...(died ? { error: { code: 'INTERNAL', message: 'The report did not finish; ask for it again.' } } : job.error && { error: job.error }),
  };
}
