import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { db } from './dynamo.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Why each item of a cancelled transaction failed, with the item as it stood (ALL_OLD). */
export interface Cancelled {
  readonly ok: false;
  readonly reasons: readonly { code: string | undefined; item: Record<string, unknown> | undefined }[];
}

/**
 * Runs a TransactWriteItems call and reports a cancellation as data instead of an exception,
 * so each store can say which guard tripped (an ID number taken, a seat gone) and the domain
 * can answer with the right error. Other failures propagate.
 */
export async function transact(items: TransactItem[], attempts = 4): Promise<{ ok: true } | Cancelled> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = (e.CancellationReasons ?? []).map((r) => ({
        code: r.Code === 'None' ? undefined : r.Code,
        item: r.Item ? unmarshall(r.Item) : undefined,
      }));
      // The service cancels a transaction that races another on the same item
      // (TransactionConflict) without judging its conditions: run it again after a jittered
      // back-off so the conditions decide. (DynamoDB Local never raises this.)
      const conflict = reasons.some((r) => r.code === 'TransactionConflict');
      if (!conflict || attempt >= attempts) {
        if (conflict) throw e;
        return { ok: false, reasons };
      }
      await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
    }
  }
}

/** Adds ALL_OLD so a failed condition shows the existing item (who holds the ID, the bed...). */
export const withOld = <T extends TransactItem>(item: T): T => {
  const op = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  if (op) (op as { ReturnValuesOnConditionCheckFailure?: string }).ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
  return item;
};
