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

/** Why one named item (or, for a group, one item of it at `index`) of a cancelled transaction failed. */
export interface Failure {
  readonly code: string;
  readonly item: Record<string, unknown> | undefined;
  /** Position within its name's group (0 for a single item). */
  readonly index: number;
}

/** A cancelled named transaction: the first failure per name, every failure in order, and the codes for a message. */
export interface CancelledNamed<K extends string> {
  readonly ok: false;
  readonly failed: Partial<Record<K, Failure>>;
  readonly failures: readonly (Failure & { readonly name: K })[];
  /** Every item's code in transaction order ('-' for none), for an error message. */
  readonly codes: string;
}

/**
 * `transact` with named items, so a store reads a cancellation by name instead of position:
 * `if (r.failed.counter?.code === 'ConditionalCheckFailed')`. A name may hold one item, a list
 * (a group: its failures carry their `index` in it), or undefined (left out). Items run in the
 * order of the names.
 */
export async function transactNamed<K extends string>(
  named: { readonly [P in K]: TransactItem | readonly TransactItem[] | undefined },
  attempts = 4,
): Promise<{ ok: true } | CancelledNamed<K>> {
  const slots: { name: K; index: number }[] = [];
  const items: TransactItem[] = [];
  for (const name of Object.keys(named) as K[]) {
    const v = named[name];
    if (v === undefined) continue;
    const group = Array.isArray(v) ? (v as readonly TransactItem[]) : [v as TransactItem];
    group.forEach((item, index) => {
      slots.push({ name, index });
      items.push(item);
    });
  }
  const r = await transact(items, attempts);
  if (r.ok) return r;
  const failed: Partial<Record<K, Failure>> = {};
  const failures: (Failure & { name: K })[] = [];
  r.reasons.forEach((x, i) => {
    const slot = slots[i];
    if (!slot || x.code === undefined) return;
    const f = { code: x.code, item: x.item, index: slot.index };
    failures.push({ name: slot.name, ...f });
    failed[slot.name] ??= f;
  });
  return { ok: false, failed, failures, codes: r.reasons.map((x) => x.code ?? '-').join(',') };
}

/** Adds ALL_OLD so a failed condition shows the existing item (who holds the ID, the bed...). */
export const withOld = <T extends TransactItem>(item: T): T => {
  const op = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  if (op) (op as { ReturnValuesOnConditionCheckFailure?: string }).ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
  return item;
};
