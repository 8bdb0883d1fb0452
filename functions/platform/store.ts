import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { db } from '../lib/dynamo.js';

/**
 * Data access for the Platform table.
 *
 * | record                       | pk                  | sk        |
 * |------------------------------|---------------------|-----------|
 * | webhook received (30 days)   | WEBHOOK#<id>        | RECEIVED  |
 *
 * Access patterns: was this webhook id processed (GetItem); record it (Put, TTL 30 days).
 */
const table = () => config.tableName('platform');
const KEEP_DAYS = 30;

export async function webhookSeen(id: string): Promise<boolean> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: { pk: `WEBHOOK#${id}`, sk: 'RECEIVED' }, ProjectionExpression: 'pk' }));
  return out.Item !== undefined;
}

export async function recordWebhook(id: string, type: string, outcome: string, now: Date): Promise<void> {
  await db().send(new PutCommand({
    TableName: table(),
    Item: { pk: `WEBHOOK#${id}`, sk: 'RECEIVED', type, outcome, receivedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + KEEP_DAYS * 86_400 },
  }));
}
