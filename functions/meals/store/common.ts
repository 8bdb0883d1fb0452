
import { config } from '../../lib/config.js';
import type { TransactItem } from '../../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../../events/outbox.js';
import type { Booking, MealSite } from '../domain/model.js';
import type { Slot } from '../domain/subsidy.js';
import { bookingKey } from './ids.js';

/** Helpers the meals store modules share (not part of the store's interface). */

export const table = () => config.tableName('meals');

/**
 * A slot's booking terms as a short string, `<status>|<capacity>|<priceFen>` ("active|100|1500"):
 * what a booking is decided on. A staff change of any of them writes the new terms onto the
 * slot's seat counters of the booking window (store/sites.ts), and a booking's counter update
 * requires the counter to carry no terms or the terms it read: a booking decided on terms
 * changed meanwhile fails and is decided again on the fresh site. The check rides on the
 * counter the booking writes anyway, so it costs no extra write unit.
 */
export const bookingTerms = (site: Pick<MealSite, 'status' | 'slots'>, slot: Slot): string | undefined => {
  const cfg = site.slots[slot];
  return cfg ? `${site.status === 'suspended' ? 's' : 'a'}|${cfg.capacity}|${cfg.priceFen}` : undefined;
};

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
