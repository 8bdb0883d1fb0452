
import { config } from '../../lib/config.js';
import type { TransactItem } from '../../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../../events/outbox.js';
import type { Booking } from '../domain/model.js';
import { bookingKey } from './ids.js';

/** Helpers the meals store modules share (not part of the store's interface). */

export const table = () => config.tableName('meals');

/** Changes a booking's status from `booked`; `freeSeat` gives the seat and the elder's slot back. */
export function bookingTransition(b: Booking, to: Booking['status'], at: string, event: DomainEvent, extra: Record<string, unknown> = {}): TransactItem {
  const key = bookingKey(b.id)!;
  const names = Object.keys(extra);
  return {
    Update: {
      TableName: table(),
      Key: { pk: key.pk, sk: key.sk },
      UpdateExpression: `SET #st = :to, updatedAt = :at, evt = :evt${names.map((_n, i) => `, #x${i} = :x${i}`).join('')}`,
      ConditionExpression: '#st = :booked',
      ExpressionAttributeNames: { '#st': 'status', ...Object.fromEntries(names.map((n, i) => [`#x${i}`, n])) },
      ExpressionAttributeValues: {
        ':to': to, ':at': at, ':booked': 'booked', ':evt': eventAttribute(event, new Date(at)).evt,
        ...Object.fromEntries(names.map((n, i) => [`:x${i}`, extra[n]])),
      },
    },
  };
}
