import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, queryAll, strip } from '../../lib/dynamo.js';
import { writtenIf } from '../../lib/conditional.js';
import { table } from './common.js';

/**
 * Report jobs (reports too big to answer within a request) and their result parts.
 *
 * | record                      | pk                      | sk                                  | gsi1pk / gsi1sk                              | gsi2pk / gsi2sk                        |
 * |-----------------------------|-------------------------|-------------------------------------|----------------------------------------------|----------------------------------------|
 * | report job                  | REPORT#<reportId>       | REPORTJOB                           |                                              |                                        |
 * | report result part          | REPORT#<reportId>       | PART#<runId>#<n>                    |                                              |                                        |
 *
 * Access patterns and their cost (write units; a transaction costs double):
 * - report job: put if absent (its insert starts the worker via the stream), result parts put
 *   if absent, then status updated if still running; read: GetItem, Query of the run's parts
 */

/** A report computed in the background: who asked, for what, and where it stands. */
export interface ReportJob {
  readonly reportId: string;
  readonly kind: 'meals.anomalies';
  readonly status: 'running' | 'done' | 'failed';
  readonly county: string;
  /** The report's query and the caller it is computed for (the same area checks apply). */
  readonly month: string;
  readonly township?: string;
  readonly requestedBy: { readonly sub: string; readonly township?: string };
  readonly requestedAt: string;
  readonly finishedAt?: string;
  readonly error?: { readonly code: string; readonly message: string };
  /** The run whose result parts are the answer (`PART#<runId>#<n>`), and how many parts. */
  readonly runId?: string;
  readonly parts?: number;
}

const jobKey = (reportId: string) => ({ pk: `REPORT#${reportId}`, sk: 'REPORTJOB' });
/** Jobs and their results age out after a week (TTL): a report is asked for again, not archived. */
const jobExpiry = (at: string) => Math.floor(Date.parse(at) / 1000) + 7 * 86_400;

/** Records a new job. Inserting it is what starts the worker in AWS (the table's stream, filtered to job inserts). */
export async function putReportJob(job: ReportJob): Promise<void> {
  await db().send(new PutCommand({ TableName: table(), Item: { ...jobKey(job.reportId), ...job, expiresAt: jobExpiry(job.requestedAt) }, ConditionExpression: 'attribute_not_exists(pk)' }));
}

export async function getReportJob(reportId: string): Promise<ReportJob | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: jobKey(reportId) }));
  if (!out.Item) return undefined;
  const { expiresAt: _e, ...job } = strip<ReportJob & { expiresAt?: number }>(out.Item)!;
  return job;
}

/**
 * Stores a finished job's result, in parts of at most 350 KB (a DynamoDB item holds 400 KB),
 * under this run's id, then marks the job done, conditioned on it still running. A retried run
 * writes parts of its own id, so two runs never mix; the loser's parts just expire.
 */
export async function finishReportJob(job: ReportJob, runId: string, result: Buffer, at: string): Promise<boolean> {
  const PART = 350_000;
  const parts = Math.max(1, Math.ceil(result.length / PART));
  for (let n = 0; n < parts; n++) {
    await db().send(new PutCommand({
      TableName: table(),
      Item: { pk: jobKey(job.reportId).pk, sk: `PART#${runId}#${String(n).padStart(3, '0')}`, data: result.subarray(n * PART, (n + 1) * PART), expiresAt: jobExpiry(job.requestedAt) },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  }
  return endJob(job.reportId, 'SET #st = :done, finishedAt = :at, runId = :run, parts = :n', { ':done': 'done', ':at': at, ':run': runId, ':n': parts });
}

export async function failReportJob(reportId: string, error: { code: string; message: string }, at: string): Promise<boolean> {
  return endJob(reportId, 'SET #st = :failed, finishedAt = :at, #err = :e', { ':failed': 'failed', ':at': at, ':e': error }, { '#err': 'error' });
}

async function endJob(reportId: string, update: string, values: Record<string, unknown>, names: Record<string, string> = {}): Promise<boolean> {
  return writtenIf(new UpdateCommand({
    TableName: table(), Key: jobKey(reportId), UpdateExpression: update, ConditionExpression: '#st = :running',
    ExpressionAttributeNames: { '#st': 'status', ...names }, ExpressionAttributeValues: { ...values, ':running': 'running' },
  }));
}

/** A done job's result, its parts joined in order. */
export async function reportJobResult(job: ReportJob): Promise<Buffer> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
    ExpressionAttributeValues: { ':pk': jobKey(job.reportId).pk, ':run': `PART#${job.runId}#` },
  });
  return Buffer.concat(items.map((i) => Buffer.from(i.data as Uint8Array)));
}
