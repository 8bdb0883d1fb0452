import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { batchGetAll, db, queryAll, queryPage, strip, type KeyPosition } from '../lib/dynamo.js';
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
 * |   (gsi2)      |                              |               | TOWNSHIP#<code>#NAMES (gsi2pk)  | <name>#<id>   |
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
 * - staff administration (issue 14):
 *   - a page of an area's elders: Query gsi1 TOWNSHIP#<code>#ELDERS (by id), one township after
 *     another for county staff (the county's townships from gsi1 COUNTY#<county>#TOWNSHIPS, by
 *     code); the position is the township and the last item's keys. Never a Scan.
 *   - by name prefix: Query gsi2 TOWNSHIP#<code>#NAMES with begins_with(gsi2sk, <prefix>), one
 *     township after another the same way (names are stored NFC, as the search text is).
 *   - by full ID number or card: the guards above (GetItem), then the elder.
 *   - edit profile fields: UpdateItem conditioned on the `updatedAt` read (a racing edit or death
 *     report makes it fail and the use case re-reads); a new card is one transaction: the
 *     profile update, the old card guard deleted (if it still names this elder), the new one put
 *     if absent (409 CARD_IN_USE when another elder holds it).
 *   - unlink a family: one transaction: the link deleted (if it exists) and the event set on the
 *     elder's profile (a deleted item has no new image to carry it).
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
/** The elder's keys in gsi2: its township's elders by name. */
const nameIndex = (e: Pick<Elder, 'id' | 'township' | 'name'>) => ({ gsi2pk: `TOWNSHIP#${e.township}#NAMES`, gsi2sk: `${e.name}#${e.id}` });

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
        Item: { ...elderKey(elder.id), gsi1pk: `TOWNSHIP#${elder.township}#ELDERS`, gsi1sk: `ELDER#${elder.id}`, ...nameIndex(elder), ...elder, ...eventAttribute(event) },
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

/** `consistent`: a strongly consistent read, after a conditional write was refused as stale. */
export async function getElder(id: string, opts: { consistent?: boolean } = {}): Promise<Elder | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: elderKey(id), ...(opts.consistent && { ConsistentRead: true }) }));
  return strip<Elder>(out.Item);
}

/** Many elders by id (BatchGetItem, 100 at a time); unknown ids are simply absent. */
export async function getElders(ids: readonly string[]): Promise<Map<string, Elder>> {
  const items = await batchGetAll(table(), [...new Set(ids)].map(elderKey));
  return new Map(items.map((i) => strip<Elder>(i)!).map((e) => [e.id, e]));
}

/** Changes profile fields of an existing elder (never the ID number or the birth facts). */
export async function updateElder(elderId: string, changes: Partial<Pick<Elder, 'name' | 'phone' | 'village' | 'categories' | 'capabilityLevel' | 'dietaryNeeds'>>, at: string, event: DomainEvent): Promise<boolean> {
  const fields: [string, unknown][] = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (changes.name !== undefined) fields.push(['gsi2sk', `${changes.name}#${elderId}`]);
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

// ---- staff administration

/** Where a page of an area's elders stopped: the township and the last item's keys in it. */
type AreaPosition = KeyPosition & { t: string };

/**
 * One page across several partitions read one after another (townships in code order): each
 * Query is paged (Limit, ExclusiveStartKey), and a page that ends exactly where a township
 * ends looks ahead (Limit 1) so the last page has no position. `queryFor` gives a township's
 * Query; `keys` the attributes of its position.
 */
async function pageAcross(townships: readonly string[], queryFor: (township: string) => QueryCommandInput, keys: readonly string[], page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: Record<string, unknown>[]; next?: AreaPosition }> {
  const after = page.after;
  let i = after ? townships.indexOf(String(after.t)) : 0;
  if (i < 0) return { items: [] };
  const items: Record<string, unknown>[] = [];
  let start: KeyPosition | undefined = after && Object.keys(after).length > 1 ? Object.fromEntries(Object.entries(after).filter(([k]) => k !== 't')) : undefined;
  for (; i < townships.length; i++, start = undefined) {
    const t = townships[i]!;
    const wanted = page.limit - items.length;
    if (wanted === 0) {
      // Full: is there anything after? A look ahead of one item per township.
      const ahead = await queryPage(queryFor(t), { limit: 1 }, keys);
      if (ahead.items.length) return { items, next: { t } };
      continue;
    }
    const r = await queryPage(queryFor(t), { limit: wanted, after: start }, keys);
    items.push(...r.items);
    if (r.next) return { items, next: { t, ...r.next } };
  }
  return { items };
}

/**
 * A page of the elders of some townships (the caller's area, in code order), by id within each
 * township, or by name when `namePrefix` is given (only names starting with it).
 */
export async function eldersPage(townships: readonly string[], namePrefix: string | undefined, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: Elder[]; next?: KeyPosition }> {
  const r = namePrefix === undefined
    ? await pageAcross(townships, (t) => ({ TableName: table(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `TOWNSHIP#${t}#ELDERS` } }), ['pk', 'sk', 'gsi1pk', 'gsi1sk'], page)
    : await pageAcross(townships, (t) => ({ TableName: table(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :q)', ExpressionAttributeValues: { ':pk': `TOWNSHIP#${t}#NAMES`, ':q': namePrefix } }), ['pk', 'sk', 'gsi2pk', 'gsi2sk'], page);
  return { items: r.items.map((i) => strip<Elder>(i)!), ...(r.next && { next: r.next }) };
}

/** Profile fields staff may change; null removes the field. */
export type ElderPatch = { -readonly [K in 'phone' | 'address' | 'village' | 'cardNo']?: string | null } & Partial<Pick<Elder, 'categories' | 'capabilityLevel' | 'dietaryNeeds'>>;

export type PatchElderResult = { ok: true } | { ok: false; reason: 'changed' } | { ok: false; reason: 'card_taken'; existing: { elderId: string } };

/**
 * Applies a staff edit to the elder as read (`was`): conditioned on its `updatedAt`, so an edit
 * or death report written meanwhile is never overwritten with stale values ('changed': read
 * again and retry). A card change moves the card guard in the same transaction: the old guard
 * is deleted only if it still names this elder, the new one put only if absent ('card_taken').
 */
export async function patchElder(was: Elder, patch: ElderPatch, at: string, event: DomainEvent): Promise<PatchElderResult> {
  const set = Object.entries(patch).filter(([, v]) => v !== undefined && v !== null);
  const remove = Object.entries(patch).filter(([, v]) => v === null).map(([k]) => k);
  const names = { ...Object.fromEntries(set.map(([k], i) => [`#s${i}`, k])), ...Object.fromEntries(remove.map((k, i) => [`#r${i}`, k])) };
  const profile = {
    Update: {
      TableName: table(),
      Key: elderKey(was.id),
      UpdateExpression: `SET ${set.map((_, i) => `#s${i} = :s${i}, `).join('')}updatedAt = :at, evt = :evt${remove.length ? ` REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}` : ''}`,
      ConditionExpression: 'updatedAt = :was',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...Object.fromEntries(set.map(([, v], i) => [`:s${i}`, v])), ':at': at, ':was': was.updatedAt, ':evt': eventAttribute(event, new Date(at)).evt },
    },
  };
  const cardChanges = patch.cardNo !== undefined && (patch.cardNo ?? undefined) !== was.cardNo;
  const r = await transactNamed({
    profile,
    releaseCard: cardChanges && was.cardNo
      ? { Delete: { TableName: table(), Key: cardGuardKey(was.county, was.cardNo), ConditionExpression: 'attribute_not_exists(pk) OR elderId = :me', ExpressionAttributeValues: { ':me': was.id } } }
      : undefined,
    claimCard: cardChanges && patch.cardNo
      ? withOld({ Put: { TableName: table(), Item: { ...cardGuardKey(was.county, patch.cardNo), elderId: was.id }, ConditionExpression: 'attribute_not_exists(pk)' } })
      : undefined,
  });
  if (r.ok) return r;
  if (r.failed.claimCard?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'card_taken', existing: { elderId: String(r.failed.claimCard.item?.elderId) } };
  if (r.failed.profile?.code === 'ConditionalCheckFailed' || r.failed.releaseCard?.code === 'ConditionalCheckFailed') return { ok: false, reason: 'changed' };
  throw new Error(`elder edit cancelled: ${r.codes}`);
}

export async function getFamilyLink(elderId: string, familySub: string): Promise<FamilyLink | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: familyLinkKey(elderId, familySub) }));
  return strip<FamilyLink>(out.Item);
}

/**
 * Removes a family link; the event goes on the elder's profile (the deleted link has no new
 * image to carry it), which keeps `updatedAt` as it was: an unlink is not a profile edit.
 * False when there was no such link (any more).
 */
export async function deleteFamilyLink(elderId: string, familySub: string, event: DomainEvent, at: string): Promise<boolean> {
  const r = await transactNamed({
    link: { Delete: { TableName: table(), Key: familyLinkKey(elderId, familySub), ConditionExpression: 'attribute_exists(pk)' } },
    elder: {
      Update: {
        TableName: table(),
        Key: elderKey(elderId),
        UpdateExpression: 'SET evt = :evt',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':evt': eventAttribute(event, new Date(at)).evt },
      },
    },
  });
  if (r.ok) return true;
  if (r.failed.link || r.failed.elder) return false;
  throw new Error(`family unlink cancelled: ${r.codes}`);
}

/**
 * Gives elders written before gsi2 existed their name keys (one conditional update each, only
 * where missing): run once per township by the seed on start, or by an operator after deploying.
 * Returns how many it updated.
 */
export async function backfillNameIndex(township: string): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ TableName: table(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', FilterExpression: 'attribute_not_exists(gsi2pk)', ExpressionAttributeValues: { ':pk': `TOWNSHIP#${township}#ELDERS` }, ExclusiveStartKey: start }));
    for (const i of out.Items ?? []) {
      const e = strip<Elder>(i)!;
      if (await writtenIf(new UpdateCommand({ TableName: table(), Key: elderKey(e.id), UpdateExpression: 'SET gsi2pk = :pk, gsi2sk = :sk', ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gsi2pk)', ExpressionAttributeValues: { ':pk': nameIndex(e).gsi2pk, ':sk': nameIndex(e).gsi2sk } }))) n++;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return n;
}
