import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Error paths DynamoDB Local cannot produce, with the client mocked (and only here): the
 * service's TransactionConflict, and an infrastructure failure in the middle of a request.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLocalKeys } from '../../functions/lib/pii.js';
import { checkCharacter } from '../../shared/id-number.js';

process.env.REGISTRY_TABLE = 'Registry';
process.env.IDEMPOTENCY_TABLE = 'Idempotency';
// Logs on, so the test can read what an error writes.
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
const keyFile = join(mkdtempSync(join(tmpdir(), 'pii-')), 'keys.json');
writeFileSync(keyFile, JSON.stringify(generateLocalKeys()));
process.env.PII_KEY_FILE = keyFile;

const { db } = await import('../../functions/lib/dynamo.js');
const { transact, transactNamed } = await import('../../functions/lib/transact.js');

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

afterEach(() => vi.restoreAllMocks());

describe('transactions', () => {
  it('retries a TransactionConflict and then succeeds', async () => {
    const send = vi.spyOn(db(), 'send').mockRejectedValueOnce(cancelled(['TransactionConflict', 'None'])).mockResolvedValueOnce({} as never);
    await expect(transact([{ Put: { TableName: 'T', Item: { pk: 'a' } } }])).resolves.toEqual({ ok: true });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('gives up after the last attempt and lets the error through (never a false "condition failed")', async () => {
    vi.spyOn(db(), 'send').mockRejectedValue(cancelled(['TransactionConflict']));
    await expect(transact([{ Put: { TableName: 'T', Item: { pk: 'a' } } }], 3)).rejects.toBeInstanceOf(TransactionCanceledException);
  });

  it('reports a failed condition as data, naming which item failed', async () => {
    vi.spyOn(db(), 'send').mockRejectedValue(cancelled(['None', 'ConditionalCheckFailed']));
    await expect(transact([{ Put: { TableName: 'T', Item: { pk: 'a' } } }, { Put: { TableName: 'T', Item: { pk: 'b' } } }])).resolves.toEqual({
      ok: false,
      reasons: [{ code: undefined, item: undefined }, { code: 'ConditionalCheckFailed', item: undefined }],
    });
  });

  it('names the failed item in the named form, with its index in a group, skipping left-out names', async () => {
    vi.spyOn(db(), 'send').mockRejectedValue(cancelled(['None', 'None', 'ConditionalCheckFailed', 'None']));
    const put = (pk: string) => ({ Put: { TableName: 'T', Item: { pk } } });
    const r = await transactNamed({ guard: put('g'), none: undefined, beds: [put('b0'), put('b1')], log: put('l') });
    expect(r).toEqual({
      ok: false,
      failed: { beds: { code: 'ConditionalCheckFailed', item: undefined, index: 1 } },
      failures: [{ name: 'beds', code: 'ConditionalCheckFailed', item: undefined, index: 1 }],
      codes: '-,-,ConditionalCheckFailed,-',
    });
  });
});

describe('an infrastructure failure during a request', () => {
  it('answers 500 INTERNAL with the request id, no internals, and logs no personal data', async () => {
    const { handler } = await import('../../functions/registry/lambda.js');
    vi.spyOn(db(), 'send').mockRejectedValue(Object.assign(new Error('Service unavailable: ProvisionedThroughputExceeded'), { name: 'InternalServerError' }));
    const writes: string[] = [];
    for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const first17 = '41132719450312001';
    const idNumber = first17 + checkCharacter(first17);
    const event = {
      version: '2.0',
      routeKey: 'POST /v1/elders',
      rawPath: '/v1/elders',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber, name: '保密姓名', phone: '13900001111', township: '411327101' }),
      requestContext: { authorizer: { jwt: { claims: { sub: 'u', 'cognito:groups': '[staff]', 'custom:county': '411327' }, scopes: [] } }, http: { method: 'POST' } },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    const context = { awsRequestId: 'req-123', functionName: 'f', getRemainingTimeInMillis: () => 5000 } as unknown as Context;
    const res = await handler(event, context);
    expect(res.statusCode).toBe(500);
    const body = JSON.parse(res.body!);
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.message).toContain('req-123');
    expect(res.body).not.toContain('ProvisionedThroughput');
    const logs = writes.join('');
    expect(logs).toContain('unhandled error');
    expect(logs).toContain('POST /v1/elders');
    for (const secret of [idNumber, '保密姓名', '13900001111']) expect(logs).not.toContain(secret);
  });
});
