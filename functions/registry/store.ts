import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { batchGetAll, db, queryAll, strip } from '../lib/dynamo.js';
import { writtenIf } from '../lib/conditional.js';
import { transactNamed, withOld } from '../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../events/outbox.js';
import type { Elder } from './domain/elder.js';
import type { DeathRecordState } from './domain/death.js';
import type { FamilyRelation } from '#shared/schemas/elders.js';

/**
 * Data access for the Registry table (single-table design).
 *
 * | record        | pk                           | sk            | gsi1pk                          | gsi1sk        |
 * |---------------|------------------------------|---------------|---------------------------------|---------------|
 * | township      | TOWNSHIP#<code>              | TOWNSHIP      | COUNTY#<county>#TOWNSHIPS       | <code>        |
 * | elder         | ELDER#<id>                   | PROFILE       | TOWNSHIP#<code>#ELDERS          | ELDER#<id>    |
 * | ID guard      | IDFP#<fingerprint>           | GUARD         |                                 |               |
 * | card guard    | CARD#<county>#<cardNo>       | GUARD         |                                 |               |
 * | family link   | ELDER#<id>                   | FAMILY#<sub>  | FAMILY#<county>#<sub>           | ELDER#<id>    |
 * | seed marker   | SEED#<name>                  | SEED          |                                 |               |
 *
 * Access patterns:
 * - put/get a township; list a county's townships (gsi1)
 * - register an elder: one transaction of township check + elder + ID guard + card guard,
 *   every put conditional, so two registrations of one ID number can't both succeed
 * Every changed entity item carries its domain event in `evt` (see events/outbox.ts).
 * - get an elder by id (or many: BatchGetItem); find by ID fingerprint or card (guard, then elder)
 * - list a township's elders (gsi1)
 * - update an elder's profile fields (conditional on existence); record a death or correct its
 *   date to an earlier one (conditional on the status and date read before)
 * - link a family account (conditional put); is a family linked (GetItem);
 *   list a family's elders (gsi1)
 */

const table = () => config.tableName('registry');

export interface Township {
  readonly code: string;
  readonly county: string;
  readonly name: string;
  readonly elderlyPopulation: number;
  readonly updatedAt: string;
}

export interface FamilyLink {
  readonly elderId: string;
  readonly familySub: string;
  readonly relation: FamilyRelation;
  readonly linkedAt: string;
}

/** Each record's key (see the table above). */
const townshipKey = (code: string) => ({ pk: `TOWNSHIP#${code}`, sk: 'TOWNSHIP' });
const elderKey = (id: string) => ({ pk: `ELDER#${id}`, sk: 'PROFILE' });
const idGuardKey = (fingerprint: string) => ({ pk: `IDFP#${fingerprint}`, sk: 'GUARD' });
const cardGuardKey = (county: string, cardNo: string) => ({ pk: `CARD#${county}#${cardNo}`, sk: 'GUARD' });
const familyLinkKey = (elderId: string, familySub: string) => ({ pk: `ELDER#${elderId}`, sk: `FAMILY#${familySub}` });
const seedKey = (name: string) => ({ pk: `SEED#${name}`, sk: 'SEED' });

export async function putTownship(t: Township, event: DomainEvent): Promise<void> {
  await db().send(new PutCommand({
    TableName: table(),
    Item: { ...townshipKey(t.code), gsi1pk: `COUNTY#${t.county}#TOWNSHIPS`, gsi1sk: t.code, ...t, ...eventAttribute(event) },
  }));
}

export async function getTownship(code: string): Promise<Township | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: townshipKey(code) }));
  return strip<Township>(out.Item);
}

export async function listTownships(county: string): Promise<Township[]> {
  const items = await queryAll({ TableName: table(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `COUNTY#${county}#TOWNSHIPS` } });
  return items.map((i) => strip<Township>(i)!);
}

export type InsertElderResult =
  | { ok: true }
  | { ok: false; reason: 'unknown_township' }
  | { ok: false; reason: 'id_taken'; existing: { elderId: string; county: string } }
  | { ok: false; reason: 'card_taken'; existing: { elderId: string } };

export async function insertElder(elder: Elder, event: DomainEvent): Promise<InsertElderResult> {
  const r = await transactNamed({
    township: {
      ConditionCheck: {
        TableName: table(),
        Key: townshipKey(elder.township),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    profile: {
      Put: {
        TableName: table(),
        Item: { ...elderKey(elder.id), gsi1pk: `TOWNSHIP#${elder.township}#ELDERS`, gsi1sk: `ELDER#${elder.id}`, ...elder, ...eventAttribute(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    id: withOld({
      Put: {
        TableName: table(),
        Item: { ...idGuardKey(elder.idFingerprint), elderId: elder.id, county: elder.county },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
    card: elder.cardNo
      ? withOld({
          Put: {
            TableName: table(),
            Item: { ...cardGuardKey(elder.county, elder.cardNo), elderId: elder.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })
      : undefined,
  });
  if (r.ok) return r;
  const { township, id, card } = r.failed;
  if (township?.code) return { ok: false, reason: 'unknown_township' };
  if (id?.code === 'ConditionalCheckFailed') {
    return { ok: false, reason: 'id_taken', existing: { elderId: String(id.item?.elderId), county: String(id.item?.county) } };
  }
  if (card?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'card_taken', existing: { elderId: String(card.item?.elderId) } };
  throw new Error(`elder registration cancelled: ${r.codes}`);
}

export async function getElder(id: string): Promise<Elder | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: elderKey(id) }));
  return strip<Elder>(out.Item);
}

/** Many elders by id (BatchGetItem, 100 at a time); unknown ids are simply absent. */
export async function getElders(ids: readonly string[]): Promise<Map<string, Elder>> {
  const items = await batchGetAll(table(), [...new Set(ids)].map(elderKey));
  return new Map(items.map((i) => strip<Elder>(i)!).map((e) => [e.id, e]));
}

/** Changes profile fields of an existing elder (never the ID number or the birth facts). */
export async function updateElder(elderId: string, changes: Partial<Pick<Elder, 'name' | 'phone' | 'village' | 'categories' | 'capabilityLevel' | 'dietaryNeeds'>>, at: string, event: DomainEvent): Promise<boolean> {
  const fields = Object.entries(changes).filter(([, v]) => v !== undefined);
  return writtenIf(new UpdateCommand({
    TableName: table(),
    Key: elderKey(elderId),
    UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}${fields.length ? ', ' : ''}updatedAt = :at, evt = :evt`,
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])),
    ExpressionAttributeValues: { ...Object.fromEntries(fields.map(([, v], i) => [`:v${i}`, v])), ':at': at, ':evt': eventAttribute(event, new Date(at)).evt },
  }));
}

/**
 * Records a death, or corrects its date, conditioned on the record being as the caller found it
 * (`was`): active, deceased without a date, or deceased on a given date. Two reports racing can
 * then never leave a date neither of them decided on; the loser re-reads and decides again.
 * False when the record had changed.
 */
export async function markDeceased(elderId: string, dateOfDeath: string, at: string, event: DomainEvent, was: DeathRecordState): Promise<boolean> {
  const condition = was.status === 'active' ? '#st = :active' : was.dateOfDeath === undefined ? '#st = :deceased AND attribute_not_exists(dateOfDeath)' : '#st = :deceased AND dateOfDeath = :was';
  return writtenIf(new UpdateCommand({
    TableName: table(),
    Key: elderKey(elderId),
    UpdateExpression: 'SET #st = :deceased, dateOfDeath = :d, updatedAt = :at, evt = :evt',
    ConditionExpression: condition,
    ExpressionAttributeNames: { '#st': 'status' },
    ExpressionAttributeValues: {
      ':deceased': 'deceased', ':d': dateOfDeath, ':at': at, ':evt': eventAttribute(event, new Date(at)).evt,
      ...(was.status === 'active' && { ':active': 'active' }),
      ...(was.status === 'deceased' && was.dateOfDeath !== undefined && { ':was': was.dateOfDeath }),
    },
  }));
}

async function guardTarget(key: { pk: string; sk: string }): Promise<string | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: key, ProjectionExpression: 'elderId' }));
  return out.Item?.elderId as string | undefined;
}

export async function findElderByFingerprint(fingerprint: string): Promise<Elder | undefined> {
  const id = await guardTarget(idGuardKey(fingerprint));
  return id ? getElder(id) : undefined;
}

export async function findElderByCard(county: string, cardNo: string): Promise<Elder | undefined> {
  const id = await guardTarget(cardGuardKey(county, cardNo));
  return id ? getElder(id) : undefined;
}

export async function insertFamilyLink(county: string, link: FamilyLink, event: DomainEvent): Promise<{ ok: true } | { ok: false; reason: 'already_linked' | 'no_elder' }> {
  const r = await transactNamed({
    elder: {
      ConditionCheck: {
        TableName: table(),
        Key: elderKey(link.elderId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    link: {
      Put: {
        TableName: table(),
        Item: { ...familyLinkKey(link.elderId, link.familySub), gsi1pk: `FAMILY#${county}#${link.familySub}`, gsi1sk: `ELDER#${link.elderId}`, ...link, ...eventAttribute(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  });
  if (r.ok) return r;
  if (r.failed.elder) return { ok: false, reason: 'no_elder' };
  if (r.failed.link) return { ok: false, reason: 'already_linked' };
  throw new Error(`family link cancelled: ${r.codes}`);
}

export async function isFamilyLinked(elderId: string, familySub: string): Promise<boolean> {
  const out = await db().send(new GetCommand({
    TableName: table(),
    Key: familyLinkKey(elderId, familySub),
    ProjectionExpression: 'pk',
  }));
  return out.Item !== undefined;
}

/** A page of a township's elders (gsi1), in id order. */
export async function listTownshipElderIds(township: string, limit: number, skip = 0): Promise<string[]> {
  const out = await db().send(new QueryCommand({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `TOWNSHIP#${township}#ELDERS` },
    Limit: limit + skip,
  }));
  return (out.Items ?? []).slice(skip).map((i) => String(i.id));
}

export async function listFamilyElderIds(county: string, familySub: string): Promise<string[]> {
  const out = await db().send(new QueryCommand({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `FAMILY#${county}#${familySub}` },
  }));
  return (out.Items ?? []).map((i) => String(i.elderId));
}

export async function getSeedMarker(name: string): Promise<Record<string, unknown> | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: seedKey(name) }));
  return strip(out.Item);
}

export async function putSeedMarker(name: string, data: Record<string, unknown>): Promise<void> {
  await db().send(new PutCommand({ TableName: table(), Item: { ...seedKey(name), ...data } }));
}
