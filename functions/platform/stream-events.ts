import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { LedgerEvent } from './domain/ledger.js';

/**
 * The event a stream record carries, if any. A change sets a new `evt` on the item it changes
 * (functions/events/outbox.ts); a write that leaves `evt` as it was (a counter, a guard) or
 * removes the item is not an event.
 */
export function eventOf(record: DynamoDBRecord): LedgerEvent | undefined {
  const next = record.dynamodb?.NewImage?.evt;
  if (!next) return undefined;
  const evt = unmarshall({ evt: next } as Record<string, AttributeValue>).evt as LedgerEvent;
  const before = record.dynamodb?.OldImage?.evt;
  if (before && (unmarshall({ evt: before } as Record<string, AttributeValue>).evt as LedgerEvent).id === evt.id) return undefined;
  return { id: evt.id, type: evt.type, occurredAt: evt.occurredAt, county: evt.county, entity: evt.entity, data: evt.data ?? {} };
}
