import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { config } from './config.js';
import { db, queryPage, strip, type KeyPosition } from './dynamo.js';
import { auditRetentionDays, type AuditLine } from './audit-lines.js';

export { auditedElderIds, type AuditLine } from './audit-lines.js';

/**
 * The audit trail of personal data (GB/T 22239-2019 security audit; kept over a year): one
 * line per elder per request that read or changed the elder's personal data, saying who (sub,
 * role), which route, when, from where (source IP) and the request id. Never the data itself.
 *
 * Access patterns (Registry table):
 *   AUDIT#<elderId> / <at>#<requestId>#<n>   one line; newest first by Query on the partition
 * Lines expire 400 days after they were written (TTL `expiresAt`), past the 365 days required.
 */
const table = () => config.tableName('registry');

/** The HTTP wrapper's port: writes one line per elder (BatchWrite, 25 at a time). */
export async function writeAuditLines(lines: readonly AuditLine[]): Promise<void> {
  const expiresAt = (at: string) => Math.floor(Date.parse(at) / 1000) + auditRetentionDays * 86_400;
  for (let i = 0; i < lines.length; i += 25) {
    let pending: Record<string, unknown>[] = lines.slice(i, i + 25).map((l, n) => ({
      PutRequest: { Item: { pk: `AUDIT#${l.elderId}`, sk: `${l.at}#${l.requestId}#${i + n}`, ...l, expiresAt: expiresAt(l.at) } },
    }));
    // Unprocessed items are retried (a throttled batch), a few times, then the request fails:
    // an answer without its audit line is not given.
    for (let attempt = 0; pending.length && attempt < 5; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const out = await db().send(new BatchWriteCommand({ RequestItems: { [table()]: pending as never } }));
      pending = (out.UnprocessedItems?.[table()] as Record<string, unknown>[] | undefined) ?? [];
    }
    if (pending.length) throw new Error(`audit lines not written: ${pending.length}`);
  }
}

/** An elder's audit lines, newest first, a page at a time. */
export async function readAuditLines(elderId: string, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: AuditLine[]; next?: KeyPosition }> {
  const out = await queryPage({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `AUDIT#${elderId}` },
    ScanIndexForward: false,
  }, page, ['pk', 'sk']);
  const items = out.items.map((i) => {
    const { expiresAt: _expires, ...line } = strip<AuditLine & { expiresAt: number }>(i)!;
    return line;
  });
  return { items, ...(out.next && { next: out.next }) };
}
