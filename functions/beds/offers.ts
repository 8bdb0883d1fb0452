import { encodeTime } from 'ulid';
import type * as z from 'zod/mini';
import { staffCoversTownship } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { breachError, refuseFirst } from '#shared/dates.js';
import { errors } from '#shared/http/errors.js';
import type { Page, PageRequest } from '#shared/pagination.js';
import type { waitingListFigures } from '#shared/schemas/offers.js';
import { cstDate } from '#shared/time.js';
import { newId } from '../lib/ids.js';
import { logger } from '../lib/powertools.js';
import * as registry from '../registry/store.js';
import { deceasedNow } from '../registry/domain/death.js';
import { by, operatesInstitution } from './access.js';
import * as applications from './applications-store.js';
import { queueOn } from './domain/applications.js';
import { admissionBreach } from './domain/dates.js';
import type { Institution, Residence } from './domain/model.js';
import { figuresOf, isLapsed, expiryOf, monthsBetween, pairOffers, WAITING_LIST_KINDS, type Offer } from './domain/offers.js';
import * as store from './offers-store.js';
import { countiesWithCounters, getBed, getInstitution, listBeds } from './store.js';

/**
 * Offers of the waiting list (轮候配床): made by the product when a bed of a public institution
 * is or becomes vacant (fillVacancies), answered by the institution or staff (accept, decline),
 * or lapsing (expireLapsed, run by the scheduled job). Rules: domain/offers.ts; writes:
 * offers-store.ts.
 */

/** Who the product acts as when it makes or expires an offer, in the change log. */
const SYSTEM = 'system:waiting-list';

const view = ({ institutionTownship: _t, ...o }: store.StoredOffer): Offer => o;

/** How many times fillVacancies reads again after a write lost a race (another request took the bed or the application). */
const ROUNDS = 4;

/**
 * Offers every vacant bed of the county's public institutions (WAITING_LIST_KINDS) to the next
 * suitable waiting application of that institution's queue (domain/offers.ts pairOffers), under
 * the admission policy in force today (China Standard Time): none without a policy. `only`
 * narrows it to some institutions (the ones whose beds just changed). Each offer is one
 * conditional write: when a race makes one fail, the institution is read again and paired
 * again, so concurrent callers together make each bed's offer once. Returns the offers made.
 */
export async function fillVacancies(county: string, now: Date, only?: readonly string[]): Promise<Offer[]> {
  const today = cstDate(now);
  const policy = await applications.policyInForce(county, today);
  if (!policy) return [];
  const made: Offer[] = [];
  const counters = (await store.institutionCounters(county)).filter((c) =>
    Number(c.vacant ?? 0) > 0 && WAITING_LIST_KINDS.has(c.kind as never) && (!only || only.includes(String(c.institutionId))));
  for (const c of counters) {
    const place = { id: String(c.institutionId), county, township: String(c.township), name: String(c.name) };
    for (let round = 0; round < ROUNDS; round++) {
      const [beds, open] = await Promise.all([vacantBeds(place.id), applications.institutionApplications(county, place, true)]);
      const queue = queueOn(policy, open, today);
      const pairs = pairOffers(beds, queue.map((q) => ({ ...q.application, priorityClass: q.priorityClass })), { now, days: policy.offerHoldDays });
      let lost = false;
      for (const { bed, application } of pairs) {
        const madeAt = now.toISOString();
        const o: store.StoredOffer = {
          id: newId('offer', now.getTime()), county, institutionId: place.id, institutionName: place.name, institutionTownship: place.township,
          bedId: bed.id, bedLabel: bed.label, careType: bed.careType, applicationId: application.id, elderId: application.elderId, elderTownship: application.elderTownship,
          priorityClass: application.priorityClass, appliedAt: application.appliedAt, status: 'open', madeAt, expiresAt: expiryOf(madeAt, policy.offerHoldDays),
        };
        const r = await store.makeOffer(o, bed, application, place, { action: 'offer_made', at: madeAt, by: SYSTEM, bedId: bed.id, elderId: application.elderId, offerId: o.id }, {
          type: 'offer.made', county, entity: `offer:${o.id}`,
          data: { offerId: o.id, applicationId: o.applicationId, elderId: o.elderId, institutionId: o.institutionId, bedId: o.bedId, careType: o.careType, priorityClass: o.priorityClass, expiresAt: o.expiresAt },
        });
        if (r.ok) made.push(view(o));
        else lost = true;
      }
      if (!lost) break;
    }
  }
  return made;
}

/** The institution's vacant beds held by no offer (one Query of its beds). */
const vacantBeds = async (institutionId: string) => (await listBeds(institutionId)).filter((b) => b.status === 'vacant' && !b.offerId);

/**
 * After beds of an institution became vacant (a discharge, a transfer, a status change, new
 * beds) or an offer ended: offer them on, without failing the request that freed them (that
 * change is already written). A failure here is logged; the scheduled job makes the offer at
 * its next run. Returns the offers made (none after a failure).
 */
export async function offerFreedBeds(county: string, institutionIds: readonly string[] | undefined, now: Date): Promise<Offer[]> {
  try {
    return await fillVacancies(county, now, institutionIds);
  } catch (e) {
    logger.warn('offering freed beds failed; the scheduled job will retry', { county, error: e instanceof Error ? e.name : 'unknown' });
    return [];
  }
}

/**
 * After beds of institution `i` became vacant (a discharge, a transfer, a status change, new
 * beds): offerFreedBeds for it, and nothing at all (no read) when its kind is not one the
 * waiting list fills: most homes, most discharges.
 */
export async function offerBedsFreedAt(i: Pick<Institution, 'id' | 'county' | 'kind'>, now: Date): Promise<Offer[]> {
  return WAITING_LIST_KINDS.has(i.kind) ? offerFreedBeds(i.county, [i.id], now) : [];
}

/** A bed as just written, or as held when one of `offers` took it: what a request that freed it answers. */
export const heldIfOffered = <B extends { id: string; status: string }>(bed: B, offers: readonly Offer[]): B => {
  const o = offers.find((x) => x.bedId === bed.id);
  return o ? { ...bed, status: 'reserved', offerId: o.id } : bed;
};

/**
 * The offer, for a caller operating its institution (its own account, staff of its township or
 * county) or staff of the elder's township; 403 for another institution or area; 404 when the
 * caller's county has no such offer (offers are keyed by county).
 */
async function reachable(p: Principal, offerId: string, consistent = false): Promise<store.StoredOffer> {
  const o = await store.getOffer(p.county, offerId, consistent);
  if (!o) throw errors.notFound('Offer');
  if (!operatesInstitution(p, { id: o.institutionId, county: o.county, township: o.institutionTownship }) && !(p.role === 'staff' && staffCoversTownship(p, o.elderTownship))) throw errors.forbidden('This offer is outside the caller\'s institution or area.');
  return o;
}

/** One offer (GET /v1/offers/{offerId}). */
export async function readOffer(p: Principal, offerId: string): Promise<Offer> {
  return view(await reachable(p, offerId));
}

/**
 * A page of offers, newest first: an institution's account its own (another institutionId is
 * 403), township staff those at institutions of their township or to elders of it.
 */
export async function listOffers(p: Principal, filter: { institutionId?: string | undefined; status?: string | undefined }, page: PageRequest): Promise<Page<Offer>> {
  if (p.role === 'institution' && filter.institutionId !== undefined && filter.institutionId !== p.institution) throw errors.forbidden('An institution sees its own offers.');
  if (filter.institutionId !== undefined) {
    const i = await getInstitution(filter.institutionId);
    if (!i || i.county !== p.county) throw errors.notFound('Institution');
  }
  const institutionId = p.role === 'institution' ? p.institution : filter.institutionId;
  const out = await store.offersPage(p.county, { institutionId, status: filter.status, township: p.role === 'staff' ? p.township : undefined }, page);
  return { items: out.items.map(view), ...(out.next && { next: out.next }) };
}

async function heldBed(o: store.StoredOffer) {
  const bed = await getBed(o.bedId);
  if (!bed) throw new Error('offer names a bed that does not exist');
  return bed;
}

const closedError = (o: Pick<Offer, 'status'>, lapsed = false) => errors.rule('OFFER_CLOSED', lapsed ? 'This offer passed its hold: the bed goes to the next application.' : `This offer is already ${o.status}.`, [{ path: 'offerId', message: lapsed ? 'is past its hold' : `is ${o.status}` }]);

/**
 * Accepts an open offer: the elder is admitted into the held bed at `admittedAt` (ISO instant)
 * and the offer and the application close, in one write (offers-store.ts acceptOffer). 409
 * OFFER_CLOSED when it is not open or is past its hold (whatever races), 422 as for an
 * admission (DATE_IN_FUTURE; DATE_OUT_OF_ORDER before the birth date, the elder's last
 * discharge or the offer; ELDER_DECEASED), 409 ELDER_ALREADY_ADMITTED.
 */
export async function acceptOffer(p: Principal, offerId: string, input: { admittedAt: string }, now: Date): Promise<Omit<Residence, 'county'>> {
  const o = await reachable(p, offerId, true);
  if (o.status !== 'open') throw closedError(o);
  if (isLapsed(o, now)) throw closedError(o, true);
  const elder = await registry.getElder(o.elderId);
  if (!elder) throw errors.notFound('Elder');
  const admittedAt = new Date(input.admittedAt);
  const bed = await heldBed(o);
  refuseFirst(admissionBreach({ admittedAt, now, birthDate: elder.birthDate, offerMadeAt: o.madeAt, ...(bed.vacantSince && { bedVacantSince: bed.vacantSince }) }), deceasedNow(elder, 'elderId'));
  const a = await applications.getApplication(o.applicationId);
  if (!a) throw new Error('offer names an application that does not exist');
  const at = now.toISOString();
  const since = admittedAt.toISOString();
  const residence: Residence = { elderId: o.elderId, county: o.county, institutionId: o.institutionId, bedId: bed.id, bedLabel: bed.label, since };
  const r = await store.acceptOffer(o, bed, a, residence, at, { action: 'offer_accepted', at, by: by(p), elderId: o.elderId, bedId: bed.id, offerId: o.id }, {
    accepted: { type: 'offer.accepted', county: o.county, entity: `offer:${o.id}`, data: { offerId: o.id, applicationId: o.applicationId, elderId: o.elderId, institutionId: o.institutionId, bedId: bed.id, admittedAt: since } },
    admitted: { type: 'resident.admitted', county: o.county, entity: `bed:${bed.id}`, data: { elderId: o.elderId, institutionId: o.institutionId, bedId: bed.id, careType: bed.careType, admittedAt: since } },
  });
  if (!r.ok) {
    switch (r.reason) {
      case 'offer_closed': {
        const now2 = await store.getOffer(o.county, o.id, true);
        throw closedError(now2 ?? o, now2?.status === 'open');
      }
      case 'elder_admitted':
        throw errors.rule('ELDER_ALREADY_ADMITTED', 'This elder already has a bed in the county: discharge them there first, or record that they declined this offer.', [{ path: 'offerId', message: 'elder already admitted' }]);
      case 'elder_left_later': {
        const breach = admissionBreach({ admittedAt, now, birthDate: elder.birthDate, elderLeftAt: r.leftAt });
        throw breach ? breachError(breach) : errors.rule('OFFER_CLOSED', 'This offer changed meanwhile; read it again.');
      }
    }
  }
  const { county: _county, ...shown } = residence;
  return shown;
}

/**
 * Ends an open offer without an admission (declined by the elder, or lapsed) and offers the
 * bed on. False when the offer or its application changed meanwhile.
 */
async function closeAndOfferOn(o: store.StoredOffer, outcome: 'declined' | 'expired', at: Date, who: string, reason?: string): Promise<boolean> {
  const [bed, a] = await Promise.all([heldBed(o), applications.getApplication(o.applicationId)]);
  if (!a) throw new Error('offer names an application that does not exist');
  const iso = at.toISOString();
  const event = outcome === 'declined'
    ? { type: 'offer.declined' as const, county: o.county, entity: `offer:${o.id}`, data: { offerId: o.id, applicationId: o.applicationId, elderId: o.elderId, institutionId: o.institutionId, bedId: o.bedId, declinedAt: iso, reason: reason ?? '' } }
    : { type: 'offer.expired' as const, county: o.county, entity: `offer:${o.id}`, data: { offerId: o.id, applicationId: o.applicationId, elderId: o.elderId, institutionId: o.institutionId, bedId: o.bedId, expiredAt: iso } };
  const r = await store.closeOffer(o, bed, a, outcome, iso, { by: who, ...(reason && { reason }) }, {
    action: outcome === 'declined' ? 'offer_declined' : 'offer_expired', at: iso, by: who, elderId: o.elderId, bedId: o.bedId, offerId: o.id, ...(reason && { reason }),
  }, event);
  if (!r.ok) return false;
  await offerFreedBeds(o.county, [o.institutionId], at);
  return true;
}

/**
 * Records that the elder declined an open offer (`reason` as they said it): the bed is freed and
 * offered to the next application; the application stays in the queue with the decline
 * counted. 409 OFFER_CLOSED when the offer is not open or past its hold.
 */
export async function declineOffer(p: Principal, offerId: string, reason: string, now: Date): Promise<Offer> {
  const o = await reachable(p, offerId, true);
  if (o.status !== 'open') throw closedError(o);
  if (isLapsed(o, now)) throw closedError(o, true);
  if (!(await closeAndOfferOn(o, 'declined', now, by(p), reason))) {
    const again = await store.getOffer(o.county, o.id, true);
    throw closedError(again ?? o, again?.status === 'open');
  }
  return view({ ...o, status: 'declined', closedAt: now.toISOString(), closedBy: by(p), reason });
}

/** Expires the county's offers past their hold at `now` and offers their beds on (the scheduled job). Returns how many expired. */
export async function expireLapsed(county: string, now: Date): Promise<number> {
  let expired = 0;
  for (const id of await store.lapsedOfferIds(county, now.toISOString())) {
    const o = await store.getOffer(county, id, true);
    // An offer accepted at the same moment closed first: its marker is gone with it, or goes now.
    if (o?.status !== 'open' || !isLapsed(o, now)) continue;
    if (await closeAndOfferOn(o, 'expired', now, SYSTEM)) expired += 1;
  }
  return expired;
}

/**
 * The scheduled job's work for every county with beds: expire lapsed offers, then offer every
 * vacant public bed that has a suitable application (catching up anything a request's own
 * offering missed). Returns per county what it did.
 */
export async function runWaitingList(now: Date): Promise<{ county: string; expired: number; offered: number }[]> {
  const out: { county: string; expired: number; offered: number }[] = [];
  for (const county of await countiesWithCounters()) {
    const expired = await expireLapsed(county, now);
    const offered = (await fillVacancies(county, now)).length;
    out.push({ county, expired, offered });
  }
  return out;
}

type Figures = z.input<typeof waitingListFigures>;

/** The longest an offer is held (policy bound, shared/schemas/bed-applications.ts): offers accepted in `from` may have been made this much earlier. */
const MAX_HOLD_MS = 30 * 86_400_000;

/**
 * The waiting list's figures for months `from`..`to` (YYYY-MM, CST; at most 24): offers by month
 * and outcome, waits by institution and class (domain/offers.ts figuresOf). Township staff: the
 * institutions of their township. 400 when `to` is before `from` or the range spans more than 24 months.
 */
export async function readWaitingListFigures(p: Principal, from: string, to: string): Promise<Figures> {
  const months = monthsBetween(from, to);
  if (!months.length) throw errors.validation([{ path: 'to', in: 'query', message: 'must not be before from' }]);
  if (months.length > 24) throw errors.validation([{ path: 'to', in: 'query', message: 'must make a range of at most 24 months, from and to included' }]);
  // Month bounds in China Standard Time (UTC+8), as ULID time prefixes of the offer ids.
  const start = Date.parse(`${from}-01T00:00:00+08:00`) - MAX_HOLD_MS;
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  const end = Date.parse(`${tm === 12 ? ty + 1 : ty}-${String(tm === 12 ? 1 : tm + 1).padStart(2, '0')}-01T00:00:00+08:00`);
  const offers = await store.offersMadeBetween(p.county, `offer_${encodeTime(start, 10).toLowerCase()}`, `offer_${encodeTime(end, 10).toLowerCase()}`);
  const visible = offers.filter((o) => staffCoversTownship(p, o.institutionTownship)).map(view);
  return figuresOf(visible, from, to);
}

/**
 * The items that withdraw an open offer with its application (applications-store.ts
 * withdrawApplication): the offer closed as withdrawn, its bed freed, the counters and the log.
 * Undefined when the offer is no longer open (the withdrawal's own condition then fails).
 */
export async function offerRelease(county: string, offerId: string, at: string, who: string): Promise<{ items: ReturnType<typeof store.heldOfferRelease>; institutionId: string } | undefined> {
  const o = await store.getOffer(county, offerId, true);
  if (o?.status !== 'open') return undefined;
  const bed = await heldBed(o);
  return {
    institutionId: o.institutionId,
    items: store.heldOfferRelease(o, bed, 'withdrawn', at, { by: who }, { action: 'offer_withdrawn', at, by: who, elderId: o.elderId, bedId: o.bedId, offerId: o.id }),
  };
}

/** What a family sees of its elder's open offer: where the bed is held and until when. */
export async function familyOffer(county: string, offerId: string): Promise<{ institutionName: string; bedLabel: string; expiresAt: string } | undefined> {
  const o = await store.getOffer(county, offerId);
  return o && o.status === 'open' ? { institutionName: o.institutionName, bedLabel: o.bedLabel, expiresAt: o.expiresAt } : undefined;
}

