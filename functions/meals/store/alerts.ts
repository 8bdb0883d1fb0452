import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, queryPage, type KeyPosition, strip } from '../../lib/dynamo.js';
import { writtenIf } from '../../lib/conditional.js';
import { transact } from '../../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../../events/outbox.js';
import type { Alert, Booking } from '../domain/model.js';
import { bookingTransition, table } from './common.js';

import { alertKey } from './ids.js';
/**
 * No-shows and the welfare alerts they raise.
 *
 * | record                      | pk                      | sk                                  | gsi1pk / gsi1sk                              | gsi2pk / gsi2sk                        |
 * |-----------------------------|-------------------------|-------------------------------------|----------------------------------------------|----------------------------------------|
 * | welfare alert               | ALERTS#<county>         | <alertId>                           | ALERTS#<county>#<status> / <alertId>         | ALERTS#<township>#<status> / <alertId> |
 *
 * Access patterns and their cost (write units; a transaction costs double):
 * - no-show of a living-alone elder: booking status + alert put (with its open index entries),
 *   one transaction; closing it moves both index entries to `closed` in its UpdateItem
 * - alerts of one status, newest first: Query gsi1 (county) or gsi2 (township); never reads
 *   alerts of the other status. All statuses: Query ALERTS#<county> (filtered by township)
 */

/**
 * A welfare alert's index entries. gsi1 lists a county's alerts of one status, gsi2 a
 * township's, both newest first (alert ids are ULIDs). Closing moves the entries to the
 * `closed` partitions in the same UpdateItem, so a list of open alerts never reads a closed one.
 */
const alertIndexKeys = (a: Pick<Alert, 'id' | 'county' | 'township'>, status: Alert['status']) => ({
  gsi1pk: `ALERTS#${a.county}#${status}`, gsi1sk: a.id, gsi2pk: `ALERTS#${a.township}#${status}`, gsi2sk: a.id,
});

/**
 * Marks a booking no_show (the seat stays taken: the meal was cooked) and, for an elder living
 * alone, raises the welfare alert in the same transaction: no alert without its no-show, and
 * the booking's status condition means a rerun of the job can't raise a second one.
 */
export async function markNoShow(b: Booking, at: string, event: DomainEvent, alert?: Alert & { evt: DomainEvent }): Promise<boolean> {
  const items = [bookingTransition(b, 'no_show', at, event)];
  if (alert) {
    const { evt, ...rest } = alert;
    items.push({ Put: { TableName: table(), Item: { ...alertKey(alert.county, alert.id), ...rest, ...alertIndexKeys(alert, 'open'), ...eventAttribute(evt, new Date(at)) }, ConditionExpression: 'attribute_not_exists(pk)' } });
  }
  const r = await transact(items);
  return r.ok;
}

/**
 * A page of alerts, newest first. Of one status: a Query of gsi2 (a township) or gsi1 (the
 * county), which holds only alerts of that status. `all`: the county's partition, filtered by
 * township when one is given (that history view reads the county's alerts).
 */
export async function alertsPage(county: string, township: string | undefined, status: Alert['status'] | 'all', page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: Alert[]; next?: KeyPosition }> {
  const input = status === 'all'
    ? {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ALERTS#${county}`, ...(township && { ':t': township }) },
        ...(township && { FilterExpression: 'township = :t' }),
        keys: ['pk', 'sk'],
      }
    : township
      ? { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': `ALERTS#${township}#${status}` }, keys: ['pk', 'sk', 'gsi2pk', 'gsi2sk'] }
      : { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `ALERTS#${county}#${status}` }, keys: ['pk', 'sk', 'gsi1pk', 'gsi1sk'] };
  const { keys, ...query } = input;
  const { items, next } = await queryPage({ TableName: table(), ...query, ScanIndexForward: false }, page, keys);
  return { items: items.map((i) => strip<Alert>(i)!), ...(next && { next }) };
}

export async function getAlert(county: string, id: string): Promise<Alert | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: alertKey(county, id) }));
  return strip<Alert>(out.Item);
}

export async function closeAlert(a: Alert, closed: NonNullable<Alert['closed']>, event: DomainEvent): Promise<boolean> {
  const moved = alertIndexKeys(a, 'closed');
  return writtenIf(new UpdateCommand({
    TableName: table(),
    Key: alertKey(a.county, a.id),
    UpdateExpression: 'SET #st = :closed, closed = :c, evt = :evt, gsi1pk = :g1, gsi2pk = :g2',
    ConditionExpression: '#st = :open',
    ExpressionAttributeNames: { '#st': 'status' },
    ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':c': closed, ':evt': eventAttribute(event, new Date(closed.at)).evt, ':g1': moved.gsi1pk, ':g2': moved.gsi2pk },
  }));
}
