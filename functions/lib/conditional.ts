import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { db } from './dynamo.js';

/** A single conditional write: a Put, Update or Delete carrying a ConditionExpression. */
export type ConditionalCommand = PutCommand | UpdateCommand | DeleteCommand;

/**
 * The one way the stores send a single conditional write. `{ ok: true }` when it was written;
 * when its condition failed, whatever `onFail` makes of the item as it stood (plain attributes,
 * keys included), so each store says what a failed condition means to it (a duplicate, a lost
 * race, an AppError to throw) in one line instead of a try/catch of its own. The old item is
 * there only when the command asks for it (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`),
 * and then only if an item existed; otherwise `onFail` gets undefined. Any other failure
 * (throttling, a bad expression) propagates, as does an error `onFail` throws.
 */
export async function conditionally<F>(command: ConditionalCommand, onFail: (old: Record<string, unknown> | undefined) => F): Promise<{ readonly ok: true } | F> {
  try {
    await db().send(command as PutCommand);
    return { ok: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    // The exception carries the old item in DynamoDB's wire form: the document client does not
    // convert it as it does a response.
    return onFail(e.Item ? unmarshall(e.Item as Parameters<typeof unmarshall>[0]) : undefined);
  }
}

/**
 * `conditionally` for callers that need only whether it was written: true when written, false
 * when the condition failed (a race lost, a record no longer in the state it was read in).
 */
export async function writtenIf(command: ConditionalCommand): Promise<boolean> {
  return (await conditionally(command, () => false)) !== false;
}
