import { afterEach, describe, expect, it } from 'vitest';
import { CHECK_EVERY_MS, dynamoStatus, forgetHealth, type DynamoStatus } from '../../functions/system/health.js';

/** The health check's cache: DynamoDB is described at most once a minute per instance. */
describe('health check of DynamoDB', () => {
  afterEach(forgetHealth);

  it('checks once, shares the answer with probes within the minute, and checks again after it', async () => {
    let calls = 0;
    let answer: DynamoStatus = 'ok';
    const check = async () => { calls++; return answer; };
    const t0 = 1_000_000;
    expect(await Promise.all([dynamoStatus(t0, check), dynamoStatus(t0, check), dynamoStatus(t0 + 5_000, check)])).toEqual(['ok', 'ok', 'ok']);
    expect(calls).toBe(1);
    answer = 'unreachable';
    expect(await dynamoStatus(t0 + CHECK_EVERY_MS - 1, check)).toBe('ok');
    expect(await dynamoStatus(t0 + CHECK_EVERY_MS, check)).toBe('unreachable');
    expect(calls).toBe(2);
  });

  it('answers unreachable when DynamoDB refuses the connection, within the probe timeout', async () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9'; // nothing listens on the discard port
    Object.assign(process.env, { AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', REGISTRY_TABLE: 'Registry' });
    const { describeTables } = await import('../../functions/system/health.js');
    const started = Date.now();
    expect(await describeTables(['registry'])).toBe('unreachable');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
