import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, db, queryAll, queryPage, type KeyPosition, strip } from '../../lib/dynamo.js';
import { writtenIf } from '../../lib/conditional.js';
import { transact } from '../../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../../events/outbox.js';
import type { MealSite, Menu, PolicyVersion } from '../domain/model.js';
import { table } from './common.js';

import { menuKey, siteKey } from './ids.js';
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

export async function getSite(siteId: string): Promise<MealSite | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: siteKey(siteId) }));
  return strip<MealSite>(out.Item);
}

export async function listSites(county: string, township?: string): Promise<MealSite[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: township ? 'gsi1pk = :pk AND begins_with(gsi1sk, :t)' : 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `COUNTY#${county}#SITES`, ...(township && { ':t': `${township}#` }) },
  });
  return items.map((i) => strip<MealSite>(i)!);
}

/** The sites among these ids (BatchGetItem): the ones a set of servings was served at. */
export async function getSites(ids: readonly string[]): Promise<MealSite[]> {
  const found = await batchGetAll(table(), [...new Set(ids)].map((id) => siteKey(id)));
  return found.map((i) => strip<MealSite>(i)!);
}

/** A page of the county's (or a township's) sites, by township and site id. */
export async function sitesPage(county: string, township: string | undefined, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: MealSite[]; next?: KeyPosition }> {
  const { items, next } = await queryPage({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: township ? 'gsi1pk = :pk AND begins_with(gsi1sk, :t)' : 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `COUNTY#${county}#SITES`, ...(township && { ':t': `${township}#` }) },
  }, page, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
  return { items: items.map((i) => strip<MealSite>(i)!), ...(next && { next }) };
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
