import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../lib/config.js';
import { db, queryAll, queryPage, strip, type KeyPosition } from '../lib/dynamo.js';
import { type TransactItem, transactNamed, withOld } from '../lib/transact.js';
import { eventAttribute, type DomainEvent } from '../events/outbox.js';
import { applicationChange, guardKey, queueKeys } from './applications-store.js';
import type { BedApplication } from './domain/applications.js';
import type { BedLogEntry, Institution, Residence } from './domain/model.js';
import { bedDelta, type CareType } from './domain/occupancy.js';
import type { Offer } from './domain/offers.js';
import { bedKey, counterUpdates, logPut, residenceGuardPut } from './store.js';

/**
 * Data access for offers of the waiting list, in the Beds table (with the beds they hold and
 * the applications they answer, so each step is one transaction).
 *
 * | record             | pk                   | sk                      |
 * |--------------------|----------------------|-------------------------|
 * | offer              | OFFERS#<county>      | OFFER#<id> (a ULID: the time it was made) |
 * | open offer marker  | OPENOFFERS#<county>  | <expiresAt>#<id>        |
 *
 * Each step is one transaction, and the conditions are what keep the promises:
 * - make: the bed (vacant and held by no offer -> reserved with `offerId`), the application
 *   (waiting -> offered with `offerId`) and its queue entries, the offer, its open marker, the
 *   counters (vacant -> reserved) and the change log. A bed is never held for two offers, and
 *   an elder (one open application) never holds two. About 10 items: 20 write units.
 * - accept: the offer (open, not past expiresAt), the bed (held for this offer -> occupied), the
 *   elder's residence guard (no bed now, not discharged after the admission), the application
 *   (offered with this offer -> admitted), the elder's application guard freed, the entries
 *   deleted, the marker deleted, the counters (reserved -> occupied), the log: about 12 items,
 *   24 write units. Twenty racing accepts: one commits, the others fail the offer's condition.
 * - decline / expire: the offer (open; a decline before expiresAt, an expiry at or after it:
 *   an accept and an expiry racing can't both hold), the bed (held for it -> vacant), the
 *   application (offered with it -> waiting, the decline recorded), entries, marker, counters
 *   (reserved -> vacant), log.
 * - one offer: GetItem (county, id). An institution's or a county's offers: Query OFFERS#<county>
 *   newest first, paged (a county makes a few hundred offers a year). Offers due to expire:
 *   Query OPENOFFERS#<county> sk < now (only the open ones, oldest first).
 * - the institutions with vacancies: Query COUNTERS#<county> begins_with INST# (one item per
 *   institution, consistent), never the beds of institutions without one.
 */
const table = () => config.tableName('beds');

const offerKey = (county: string, id: string) => ({ pk: `OFFERS#${county}`, sk: `OFFER#${id}` });
const markerKey = (o: Pick<Offer, 'county' | 'id' | 'expiresAt'>) => ({ pk: `OPENOFFERS#${o.county}`, sk: `${o.expiresAt}#${o.id}` });

/** An offer as stored: the contract's shape plus the institution's township (for township staff's reads). */
export type StoredOffer = Offer & { readonly institutionTownship: string };

type Held = { readonly id: string; readonly label: string; readonly careType: CareType; readonly tags: readonly string[] };

const bedItem = (bedId: string) => {
  const k = bedKey(bedId)!;
  return { pk: k.pk, sk: k.sk };
};

/** The institution part of a counter update: what counterUpdates needs. */
type Place = Pick<Institution, 'id' | 'county' | 'township'>;

export type MakeResult = { ok: true } | { ok: false; reason: 'bed_taken' | 'application_changed' };

/** Makes an offer (see the header): false with the reason when the bed or the application moved meanwhile. */
export async function makeOffer(o: StoredOffer, bed: Held, a: BedApplication, place: Place, log: BedLogEntry, event: DomainEvent): Promise<MakeResult> {
  const at = o.madeAt;
  const change = applicationChange(a, {
    set: '#st = :offered, offerId = :offer',
    condition: '#st = :waiting',
    values: { ':offered': 'offered', ':offer': o.id },
    conditionValues: { ':waiting': 'waiting' },
  });
  const r = await transactNamed({
    bed: {
      Update: {
        TableName: table(),
        Key: bedItem(bed.id),
        UpdateExpression: 'SET #st = :reserved, offerId = :offer, updatedAt = :at',
        ConditionExpression: '#st = :vacant AND attribute_not_exists(offerId)',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':reserved': 'reserved', ':offer': o.id, ':at': at, ':vacant': 'vacant' },
      },
    },
    application: change.application,
    entries: change.entries,
    offer: { Put: { TableName: table(), Item: { ...offerKey(o.county, o.id), ...o, ...eventAttribute(event, new Date(at)) }, ConditionExpression: 'attribute_not_exists(pk)' } },
    marker: { Put: { TableName: table(), Item: { ...markerKey(o), offerId: o.id } } },
    counters: counterUpdates(place, bedDelta(bed, 'vacant', 'reserved'), at),
    log: logPut(place.id, log),
  });
  if (r.ok) return r;
  if (r.failed.bed) return { ok: false, reason: 'bed_taken' };
  if (r.failed.application) return { ok: false, reason: 'application_changed' };
  throw new Error(`offer cancelled: ${r.codes}`);
}

export async function getOffer(county: string, id: string, consistent = false): Promise<StoredOffer | undefined> {
  const out = await db().send(new GetCommand({ TableName: table(), Key: offerKey(county, id), ...(consistent && { ConsistentRead: true }) }));
  return strip<StoredOffer>(out.Item);
}

/** A page of the county's offers, newest first, narrowed by institution, status and township (filters). */
export async function offersPage(county: string, filter: { institutionId?: string | undefined; status?: string | undefined; township?: string | undefined }, page: { limit: number; after?: KeyPosition | undefined }): Promise<{ items: StoredOffer[]; next?: KeyPosition }> {
  const conditions: string[] = [];
  const values: Record<string, unknown> = { ':pk': `OFFERS#${county}`, ':o': 'OFFER#' };
  if (filter.institutionId) {
    conditions.push('institutionId = :inst');
    values[':inst'] = filter.institutionId;
  }
  if (filter.status) {
    conditions.push('#st = :st');
    values[':st'] = filter.status;
  }
  if (filter.township) {
    conditions.push('(institutionTownship = :t OR elderTownship = :t)');
    values[':t'] = filter.township;
  }
  const { items, next } = await queryPage({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :o)',
    ...(conditions.length && { FilterExpression: conditions.join(' AND ') }),
    ...(filter.status && { ExpressionAttributeNames: { '#st': 'status' } }),
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
  }, page, ['pk', 'sk']);
  return { items: items.map((i) => strip<StoredOffer>(i)!), ...(next && { next }) };
}

/** Offers made between two instants (ISO), for the figures: the sort key is a ULID of the making time. */
export async function offersMadeBetween(county: string, fromId: string, toId: string): Promise<StoredOffer[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
    ExpressionAttributeValues: { ':pk': `OFFERS#${county}`, ':a': `OFFER#${fromId}`, ':b': `OFFER#${toId}` },
  });
  return items.map((i) => strip<StoredOffer>(i)!);
}

/** The ids of the county's open offers whose hold ended at or before `now` (ISO), oldest first. */
export async function lapsedOfferIds(county: string, now: string): Promise<string[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND sk <= :now',
    ExpressionAttributeValues: { ':pk': `OPENOFFERS#${county}`, ':now': `${now}#~` },
    ConsistentRead: true,
  });
  return items.map((i) => String(i.offerId));
}

/** The county's institutions as their counters say (name, kind, township, vacant beds...), read consistently. */
export async function institutionCounters(county: string): Promise<Record<string, unknown>[]> {
  return queryAll({ TableName: table(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :i)', ExpressionAttributeValues: { ':pk': `COUNTERS#${county}`, ':i': 'INST#' }, ConsistentRead: true });
}

/**
 * The items that close an open offer without an admission (declined, expired, withdrawn with its
 * application): the offer (open; `lapse` conditions it on its hold: 'before' for a decline,
 * 'after' for an expiry, none for a withdrawal), the bed (held for it -> vacant), the marker,
 * the counters and the log. The application's own change is the caller's.
 */
export function heldOfferRelease(o: StoredOffer, bed: Held, outcome: 'declined' | 'expired' | 'withdrawn', at: string, extra: { reason?: string; by: string; lapse?: 'before' | 'after' }, log: BedLogEntry, event?: DomainEvent): Record<'offer' | 'bed' | 'marker' | 'counters' | 'log', TransactItem | TransactItem[]> {
  const place = { id: o.institutionId, county: o.county, township: o.institutionTownship };
  const lapse = extra.lapse === 'before' ? ' AND expiresAt > :at' : extra.lapse === 'after' ? ' AND expiresAt <= :at' : '';
  return {
    offer: withOld({
      Update: {
        TableName: table(),
        Key: offerKey(o.county, o.id),
        UpdateExpression: `SET #st = :outcome, closedAt = :at, closedBy = :by${extra.reason ? ', reason = :reason' : ''}${event ? ', evt = :evt' : ''}`,
        ConditionExpression: `#st = :open${lapse}`,
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':outcome': outcome, ':at': at, ':by': extra.by, ':open': 'open', ...(extra.reason && { ':reason': extra.reason }), ...(event && { ':evt': eventAttribute(event, new Date(at)).evt }) },
      },
    }),
    bed: {
      Update: {
        TableName: table(),
        Key: bedItem(bed.id),
        UpdateExpression: 'SET #st = :vacant, updatedAt = :at REMOVE offerId',
        ConditionExpression: 'offerId = :offer',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':vacant': 'vacant', ':at': at, ':offer': o.id },
      },
    },
    marker: { Delete: { TableName: table(), Key: markerKey(o) } },
    counters: counterUpdates(place, bedDelta(bed, 'reserved', 'vacant'), at),
    log: logPut(o.institutionId, log),
  };
}

export type CloseResult = { ok: true } | { ok: false; reason: 'offer_closed' | 'application_changed' };

/**
 * Declines or expires an open offer: `heldOfferRelease`, and the application back to waiting
 * with the decline recorded (its time in `declinedAt`, the bed in `declinedBeds`).
 */
export async function closeOffer(o: StoredOffer, bed: Held, a: BedApplication, outcome: 'declined' | 'expired', at: string, extra: { reason?: string; by: string }, log: BedLogEntry, event: DomainEvent): Promise<CloseResult> {
  const change = applicationChange(a, {
    set: '#st = :waiting, declinedAt = list_append(declinedAt, :when), declinedBeds = list_append(if_not_exists(declinedBeds, :none), :bed)',
    remove: 'offerId',
    condition: '#st = :offered AND offerId = :offer',
    values: { ':waiting': 'waiting', ':when': [at], ':none': [], ':bed': [bed.id] },
    conditionValues: { ':offered': 'offered', ':offer': o.id },
  });
  const r = await transactNamed({
    ...heldOfferRelease(o, bed, outcome, at, { ...extra, lapse: outcome === 'declined' ? 'before' : 'after' }, log, event),
    application: change.application,
    entries: change.entries,
  });
  if (r.ok) return r;
  if (r.failed.offer) return { ok: false, reason: 'offer_closed' };
  if (r.failed.application) return { ok: false, reason: 'application_changed' };
  throw new Error(`closing the offer cancelled: ${r.codes}`);
}

export type AcceptResult =
  | { ok: true }
  | { ok: false; reason: 'offer_closed' }
  | { ok: false; reason: 'elder_admitted'; existing?: Residence }
  | { ok: false; reason: 'elder_left_later'; leftAt: string };

/** Accepts: the admission into the held bed and the end of the offer and the application, in one transaction (see the header). */
export async function acceptOffer(o: StoredOffer, bed: Held, a: BedApplication, r: Residence, now: string, log: BedLogEntry, events: { accepted: DomainEvent; admitted: DomainEvent }): Promise<AcceptResult> {
  const place = { id: o.institutionId, county: o.county, township: o.institutionTownship };
  const out = await transactNamed({
    offer: {
      Update: {
        TableName: table(),
        Key: offerKey(o.county, o.id),
        UpdateExpression: 'SET #st = :accepted, closedAt = :now, admittedAt = :since, closedBy = :by, evt = :evt',
        ConditionExpression: '#st = :open AND expiresAt > :now',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':accepted': 'accepted', ':now': now, ':since': r.since, ':by': log.by, ':open': 'open', ':evt': eventAttribute(events.accepted, new Date(now)).evt },
      },
    },
    bed: {
      Update: {
        TableName: table(),
        Key: bedItem(bed.id),
        UpdateExpression: 'SET #st = :occupied, occupant = :occ, updatedAt = :now, evt = :evt REMOVE offerId, vacantSince',
        ConditionExpression: '#st = :reserved AND offerId = :offer',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':occupied': 'occupied', ':occ': { elderId: r.elderId, since: r.since }, ':now': now, ':reserved': 'reserved', ':offer': o.id, ':evt': eventAttribute(events.admitted, new Date(now)).evt },
      },
    },
    residence: residenceGuardPut(r),
    application: {
      Update: {
        TableName: table(),
        Key: { pk: `APP#${a.id}`, sk: 'APP' },
        UpdateExpression: 'SET #st = :admitted, admittedAt = :since REMOVE offerId',
        ConditionExpression: '#st = :offered AND offerId = :offer',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':admitted': 'admitted', ':since': r.since, ':offered': 'offered', ':offer': o.id },
      },
    },
    guard: {
      Update: {
        TableName: table(),
        Key: guardKey(a.elderId),
        UpdateExpression: 'REMOVE openId',
        ConditionExpression: 'openId = :app',
        ExpressionAttributeValues: { ':app': a.id },
      },
    },
    entries: queueKeys(a).map((k) => ({ Delete: { TableName: table(), Key: k } })),
    marker: { Delete: { TableName: table(), Key: markerKey(o) } },
    counters: counterUpdates(place, bedDelta(bed, 'reserved', 'occupied'), now),
    log: logPut(o.institutionId, log),
  });
  if (out.ok) return out;
  const { offer, bed: held, application, residence } = out.failed;
  if (offer || held || application) return { ok: false, reason: 'offer_closed' };
  if (residence?.code === 'ConditionalCheckFailed') {
    if (residence.item?.bedId !== undefined) return { ok: false, reason: 'elder_admitted', existing: strip<Residence>(residence.item) };
    return { ok: false, reason: 'elder_left_later', leftAt: String(residence.item?.leftAt) };
  }
  throw new Error(`acceptance cancelled: ${out.codes}`);
}

