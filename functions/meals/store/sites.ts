import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, db, queryAll, queryPage, type KeyPosition, strip } from '../../lib/dynamo.js';
import { writtenIf } from '../../lib/conditional.js';
import { transact, transactNamed, withOld, type TransactItem } from '../../lib/transact.js';
import type { Slot } from '../domain/subsidy.js';
import { eventAttribute, type DomainEvent } from '../../events/outbox.js';
import type { MealSite, Menu, PolicyVersion } from '../domain/model.js';
import { table } from './common.js';

import { menuKey, seatCounterKey, siteKey } from './ids.js';
/**
 * Meal sites, their menus, the subsidy policy versions, and the counties that have sites.
 *
 * | record                      | pk                      | sk                                  | gsi1pk / gsi1sk                              | gsi2pk / gsi2sk                        |
 * |-----------------------------|-------------------------|-------------------------------------|----------------------------------------------|----------------------------------------|
 * | meal site                   | SITE#<siteId>           | SITE                                | COUNTY#<county>#SITES / <township>#<siteId>  |                                        |
 * | menu                        | SITE#<siteId>           | MENU#<date>                         |                                              |                                        |
 * | subsidy policy version      | POLICY#<county>         | <effectiveFrom>                     |                                              |                                        |
 * | county with meal sites      | COUNTIES                | <county>                            |                                              |                                        |
 *
 * Access patterns and their cost (write units; a transaction costs double):
 * - policy in force on a date: Query POLICY#<county>, sk <= date, newest first, limit 1
 * - a county's sites: Query gsi1 COUNTY#<county>#SITES (begins_with <township> for one township)
 * - the no-show job: Query COUNTIES, then each county's sites, then each site-day (no Scan)
 * - change a site (staff): one transaction: the site put, conditioned on the `updatedAt` read
 *   (a racing change makes it fail: read again), plus, for each slot whose booking terms
 *   (status, capacity, price: see bookingTerms) change, the new terms set on its seat counter
 *   of every date of the booking window (today + 30 days: 31 per slot, 94 items at most, under
 *   the limit of 100), conditioned, where the capacity goes down, on `booked <= new capacity`.
 *   A booking's counter update requires the terms it was decided on, so a booking and a change
 *   are serialised on the counter: either the booking counts in the check, or it fails and is
 *   decided again on the new terms. Bookings pay nothing extra for it (the counter is written
 *   anyway). Cost of a change of terms: 2 WCU per counter (62 for one slot's capacity, 186 to
 *   suspend a site with three slots), a rare staff action; a change of name, address, delivery,
 *   cutoff or stream writes no counter. Counters written for dates without bookings read as 0.
 */

export async function putSite(site: MealSite, event: DomainEvent): Promise<void> {
  const r = await transact([
    {
      Put: {
        TableName: table(),
        Item: { ...siteKey(site.id), gsi1pk: `COUNTY#${site.county}#SITES`, gsi1sk: `${site.township}#${site.id}`, ...site, ...eventAttribute(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    // Lets scheduled jobs find every county without a Scan.
    { Put: { TableName: table(), Item: { pk: 'COUNTIES', sk: site.county } } },
  ]);
  if (!r.ok) throw new Error('site write cancelled');
}

export async function counties(): Promise<string[]> {
  const out = await db().send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'COUNTIES' } }));
  return (out.Items ?? []).map((i) => String(i.sk));
}

/** A site as stored; sites written before suspension existed read as active. */
const siteFrom = (item: Record<string, unknown>): MealSite => {
  const site = strip<Omit<MealSite, 'status'> & { status?: MealSite['status'] }>(item)!;
  return { ...site, status: site.status ?? 'active' };
};

/** `consistent`: a strongly consistent read (twice the read units), after a write was refused as stale. */
export async function getSite(siteId: string, opts: { consistent?: boolean } = {}): Promise<MealSite | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: siteKey(siteId), ...(opts.consistent && { ConsistentRead: true }) }));
  return out.Item ? siteFrom(out.Item) : undefined;
}

export type UpdateSiteResult =
  | { ok: true }
  | { ok: false; reason: 'changed' }
  | { ok: false; reason: 'below_booked'; breaches: { date: string; slot: Slot; booked: number }[] };

/**
 * Writes the changed site `next` over the site as read (`was.updatedAt`), and the new booking
 * terms of each slot in `slotTerms` onto its seat counters of every date in `dates`, checking
 * that no counter has more seats booked than `lowerTo` where given (see the header).
 * 'changed' when the site changed meanwhile; 'below_booked' with each date and slot over the
 * new capacity.
 */
export async function updateSite(was: MealSite, next: MealSite, slotTerms: readonly { slot: Slot; terms: string; lowerTo?: number | undefined }[], dates: readonly string[], event: DomainEvent): Promise<UpdateSiteResult> {
  const counters: TransactItem[] = [];
  const written: { date: string; slot: Slot }[] = [];
  for (const { slot, terms, lowerTo } of slotTerms) {
    for (const date of dates) {
      written.push({ date, slot });
      counters.push(withOld({
        Update: {
          TableName: table(),
          Key: seatCounterKey(`SITEDAY#${was.id}#${date}`, slot),
          UpdateExpression: 'SET terms = :terms',
          ...(lowerTo !== undefined && { ConditionExpression: 'attribute_not_exists(booked) OR booked <= :cap' }),
          ExpressionAttributeValues: { ':terms': terms, ...(lowerTo !== undefined && { ':cap': lowerTo }) },
        },
      }));
    }
  }
  // Many items: a booking racing on one of them makes the service cancel with
  // TransactionConflict; more attempts than the default before giving up.
  const r = await transactNamed({
    site: {
      Put: {
        TableName: table(),
        Item: { ...siteKey(next.id), gsi1pk: `COUNTY#${next.county}#SITES`, gsi1sk: `${next.township}#${next.id}`, ...next, ...eventAttribute(event, new Date(next.updatedAt)) },
        ConditionExpression: 'updatedAt = :was',
        ExpressionAttributeValues: { ':was': was.updatedAt },
      },
    },
    counters,
  }, 8);
  if (r.ok) return r;
  const breaches = r.failures.filter((f) => f.name === 'counters' && f.code === 'ConditionalCheckFailed').map((f) => ({ ...written[f.index]!, booked: Number(f.item?.booked ?? 0) }));
  if (breaches.length) return { ok: false, reason: 'below_booked', breaches };
  if (r.failed.site?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'changed' };
  throw new Error(`site change cancelled: ${r.codes}`);
}

export async function listSites(county: string, township?: string): Promise<MealSite[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: township ? 'gsi1pk = :pk AND begins_with(gsi1sk, :t)' : 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `COUNTY#${county}#SITES`, ...(township && { ':t': `${township}#` }) },
  });
  return items.map(siteFrom);
}

/** The sites among these ids (BatchGetItem): the ones a set of servings was served at. */
export async function getSites(ids: readonly string[]): Promise<MealSite[]> {
  const found = await batchGetAll(table(), [...new Set(ids)].map((id) => siteKey(id)));
  return found.map(siteFrom);
}

/** A page of the county's (or a township's) sites, by township and site id. */
export async function sitesPage(county: string, township: string | undefined, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: MealSite[]; next?: KeyPosition }> {
  const { items, next } = await queryPage({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: township ? 'gsi1pk = :pk AND begins_with(gsi1sk, :t)' : 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `COUNTY#${county}#SITES`, ...(township && { ':t': `${township}#` }) },
  }, page, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
  return { items: items.map(siteFrom), ...(next && { next }) };
}

export async function putMenu(m: Menu, event: DomainEvent): Promise<void> {
  await db().send(new PutCommand({ TableName: table(), Item: { ...menuKey(m.siteId, m.date), ...m, ...eventAttribute(event) } }));
}

export async function getMenu(siteId: string, date: string): Promise<Menu | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: menuKey(siteId, date) }));
  return strip<Menu>(out.Item);
}

/**
 * Puts a policy version. `replace: false` (a version effective today or earlier) puts it only
 * if no version has that date yet: one that may have priced meals is never overwritten. False
 * when that condition failed. (`replace: true` is for future versions, replaceable by design.)
 */
export async function putPolicy(p: PolicyVersion, event: DomainEvent, opts: { replace: boolean }): Promise<boolean> {
  return writtenIf(new PutCommand({
    TableName: table(),
    Item: { pk: `POLICY#${p.county}`, sk: p.effectiveFrom, ...p, ...eventAttribute(event) },
    ...(!opts.replace && { ConditionExpression: 'attribute_not_exists(pk)' }),
  }));
}

export async function policyInForce(county: string, date: string): Promise<PolicyVersion | undefined> {
  const out = await db().send(new QueryCommand({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND sk <= :d',
    ExpressionAttributeValues: { ':pk': `POLICY#${county}`, ':d': date },
    ScanIndexForward: false,
    Limit: 1,
  }));
  return strip<PolicyVersion>(out.Items?.[0]);
}
