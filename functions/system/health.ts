import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { tables, type TableName } from '#shared/tables.js';
import { config } from '../lib/config.js';
import { dynamoClient } from '../lib/dynamo.js';

export type DynamoStatus = 'ok' | 'unreachable';

/** At most one check a minute per running instance (container): probes in between share it. */
export const CHECK_EVERY_MS = 60_000;
/** A DynamoDB that does not answer within this is as good as down, for a health probe. */
const TIMEOUT_MS = 2_000;
/** States in which a table serves reads and writes. */
const SERVING = new Set(['ACTIVE', 'UPDATING']);

/**
 * Whether DynamoDB answers, from DescribeTable on each of the service's tables: a control-plane
 * call that spends no read units and is not billed, so a load balancer probing every few
 * seconds costs nothing in DynamoDB (a GetItem per probe would cost a read unit each). A table
 * that is missing, being deleted or whose KMS key is unusable counts as unreachable too.
 */
export async function describeTables(names: readonly TableName[] = Object.keys(tables) as TableName[]): Promise<DynamoStatus> {
  try {
    const out = await Promise.all(names.map((t) => dynamoClient().send(new DescribeTableCommand({ TableName: config.tableName(t) }), { abortSignal: AbortSignal.timeout(TIMEOUT_MS) })));
    return out.every((o) => SERVING.has(String(o.Table?.TableStatus))) ? 'ok' : 'unreachable';
  } catch {
    // Refused, timed out, throttled, not found: the probe's answer is the same.
    return 'unreachable';
  }
}

let last: { at: number; status: Promise<DynamoStatus> } | undefined;

/** The cached status, checked again when the last check is a minute old. */
export function dynamoStatus(now = Date.now(), check: () => Promise<DynamoStatus> = describeTables): Promise<DynamoStatus> {
  if (!last || now - last.at >= CHECK_EVERY_MS) last = { at: now, status: check() };
  return last.status;
}

/** Tests: forget the cached result. */
export const forgetHealth = (): void => {
  last = undefined;
};
