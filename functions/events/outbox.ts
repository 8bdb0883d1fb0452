import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { newEventId } from '../lib/ids.js';

/**
 * The transactional outbox. Every change adds one event item to the same TransactWriteItems
 * call as the change itself, so an event exists exactly when its change does. The Events
 * table's stream carries them on to the platform.
 *
 * Access patterns (Events table):
 * - append an event:                     pk = COUNTY#<county>, sk = EVT#<ulid>
 * - the county's feed in order (cursor): Query pk = COUNTY#<county>, sk > EVT#<cursor>
 * - a day's events (reconciliation):     Query pk, sk BETWEEN EVT#<ulid of day start> AND EVT#<ulid of day end>
 */
export interface DomainEvent<T extends string = string, D = Record<string, unknown>> {
  readonly type: T;
  readonly county: string;
  /** `<kind>:<id>`: events of one entity must reach the platform in order. */
  readonly entity: string;
  readonly data: D;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function eventPut(event: DomainEvent, now = new Date()): TransactItem {
  const id = newEventId(now.getTime());
  return {
    Put: {
      TableName: config.tableName('events'),
      Item: {
        pk: `COUNTY#${event.county}`,
        sk: `EVT#${id}`,
        id,
        type: event.type,
        county: event.county,
        entity: event.entity,
        occurredAt: now.toISOString(),
        data: event.data,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
