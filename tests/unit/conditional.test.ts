import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError, errors } from '#shared/http/errors.js';

// The error paths only: DynamoDB Local cannot be made to throttle, and a mocked client is the
// way to raise each exception on demand. The written path and real conditions are exercised by
// the integration tests of every store (elders, beds, meals, platform).
const send = vi.fn();
vi.mock('../../functions/lib/dynamo.js', () => ({ db: () => ({ send }) }));
const { conditionally, writtenIf } = await import('../../functions/lib/conditional.js');

const put = () => new PutCommand({ TableName: 't', Item: { pk: 'A', sk: 'B' }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item && { Item: marshall(item) }) });

beforeEach(() => send.mockReset());

describe('conditionally', () => {
  it('answers { ok: true } and never calls onFail when the write goes through', async () => {
    send.mockResolvedValueOnce({});
    const onFail = vi.fn();
    expect(await conditionally(put(), onFail)).toEqual({ ok: true });
    expect(onFail).not.toHaveBeenCalled();
    expect(send.mock.calls[0]![0]).toBeInstanceOf(PutCommand);
  });

  it('hands onFail the old item in plain form (a set stays a set, a number a number) when the condition failed', async () => {
    send.mockRejectedValueOnce(conditionFailed({ pk: 'A', sk: 'B', state: 'processing', slots: new Set(['lunch']), subsidyFen: 300 }));
    const r = await conditionally(put(), (old) => ({ ok: false as const, old }));
    expect(r).toEqual({ ok: false, old: { pk: 'A', sk: 'B', state: 'processing', slots: new Set(['lunch']), subsidyFen: 300 } });
  });

  it('hands onFail undefined when the command did not ask for the old item (or there was none)', async () => {
    send.mockRejectedValueOnce(conditionFailed());
    const onFail = vi.fn(() => 'lost');
    expect(await conditionally(new UpdateCommand({ TableName: 't', Key: { pk: 'A', sk: 'B' }, UpdateExpression: 'SET a = :a', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':a': 1 } }), onFail)).toBe('lost');
    expect(onFail).toHaveBeenCalledWith(undefined);
  });

  it('lets an AppError thrown by onFail through: a store may answer a failed condition with the API error', async () => {
    send.mockRejectedValueOnce(conditionFailed({ pk: 'A', sk: 'B' }));
    const r = conditionally(put(), () => {
      throw errors.rule('ALREADY_CLOSED', 'This alert was closed meanwhile.');
    });
    await expect(r).rejects.toBeInstanceOf(AppError);
    await expect(r).rejects.toMatchObject({ code: 'ALREADY_CLOSED' });
  });

  it('rethrows every other failure unchanged (throttling, a transport error): only a failed condition is an answer', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    send.mockRejectedValueOnce(throttled);
    const onFail = vi.fn();
    await expect(conditionally(put(), onFail)).rejects.toBe(throttled);
    send.mockRejectedValueOnce(new Error('socket hang up'));
    await expect(conditionally(put(), onFail)).rejects.toThrow('socket hang up');
    expect(onFail).not.toHaveBeenCalled();
  });
});

describe('writtenIf', () => {
  it('is true when written, false when the condition failed, and throws anything else', async () => {
    const del = () => new DeleteCommand({ TableName: 't', Key: { pk: 'A', sk: 'B' }, ConditionExpression: 'eventId = :id', ExpressionAttributeValues: { ':id': 'e1' } });
    send.mockResolvedValueOnce({});
    expect(await writtenIf(del())).toBe(true);
    send.mockRejectedValueOnce(conditionFailed());
    expect(await writtenIf(del())).toBe(false);
    send.mockRejectedValueOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(writtenIf(del())).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
  });
});
