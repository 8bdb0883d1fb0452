import { putPolicyVersion } from '../lib/policy-versions.js';
import { assertCountyStaff, assertStaffCoversTownship, countyOf } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type { Page, PageRequest } from '#shared/pagination.js';
import type * as z from 'zod/mini';
import type { availability, createSiteBody, PatchSiteInput, putMenuBody, putPolicyBody } from '#shared/schemas/meals.js';
import { cstDate } from '#shared/time.js';
import { newId } from '../lib/ids.js';
import { assertOperatesSite, assertReadsSite } from './access.js';
import { cutoffPassed } from './domain/slot-time.js';
import { BOOKING_HORIZON_DAYS, policyStartBreach } from './domain/dates.js';
import { addDays } from './domain/slot-time.js';
import { slots, type Slot } from './domain/subsidy.js';
import type { MealSite, Menu, PolicyVersion } from './domain/model.js';
import * as store from './store/index.js';

export async function createSite(p: Principal, input: z.output<typeof createSiteBody>, now: Date): Promise<MealSite> {
  assertStaffCoversTownship(p, input.township);
  const at = now.toISOString();
  const site: MealSite = { ...input, id: newId('site', now.getTime()), county: countyOf(input.township), status: 'active', createdAt: at, updatedAt: at };
  await store.putSite(site, { type: 'meal_site.registered', county: site.county, entity: `meal_site:${site.id}`, data: { siteId: site.id, township: site.township, kind: site.kind, delivery: site.delivery, slots: site.slots } });
  return site;
}

/** A site the caller may at least read, or 404/403. */
export async function readableSite(p: Principal, siteId: string, opts: { consistent?: boolean } = {}): Promise<MealSite> {
  const site = await store.getSite(siteId, opts);
  if (!site) throw errors.notFound('Meal site');
  assertReadsSite(p, site);
  return site;
}

export async function operableSite(p: Principal, siteId: string): Promise<MealSite> {
  const site = await store.getSite(siteId);
  if (!site) throw errors.notFound('Meal site');
  assertOperatesSite(p, site);
  return site;
}

/** A page of the caller's county's sites (any role reads them), by township and site id. */
export async function listSites(p: Principal, township: string | undefined, page: PageRequest): Promise<Page<MealSite>> {
  if (township && countyOf(township) !== p.county) throw errors.forbidden('This township belongs to another county.');
  return store.sitesPage(p.county, township, page);
}

export async function siteAvailability(p: Principal, siteId: string, date: string, now: Date): Promise<z.input<typeof availability>> {
  const site = await readableSite(p, siteId);
  const { booked } = await store.siteDay(siteId, date, false);
  return {
    siteId,
    date,
    slots: slots.flatMap((slot: Slot) => {
      const cfg = site.slots[slot];
      if (!cfg) return [];
      const n = booked[slot] ?? 0;
      // A suspended site takes no bookings: its slots show as closed.
      return [{ slot, capacity: cfg.capacity, booked: n, remaining: Math.max(0, cfg.capacity - n), priceFen: cfg.priceFen, cutoff: cfg.cutoff, open: site.status === 'active' && !cutoffPassed(date, cfg.cutoff, now) }];
    }),
  };
}

export async function putMenu(p: Principal, siteId: string, date: string, input: z.output<typeof putMenuBody>, now: Date): Promise<Menu> {
  const site = await operableSite(p, siteId);
  const menu: Menu = { ...input, siteId, date, updatedAt: now.toISOString() };
  await store.putMenu(menu, { type: 'menu.updated', county: site.county, entity: `menu:${siteId}:${date}`, data: { siteId, date } });
  return menu;
}

export async function getMenu(p: Principal, siteId: string, date: string): Promise<Menu> {
  await readableSite(p, siteId);
  const menu = await store.getMenu(siteId, date);
  if (!menu) throw errors.notFound('Menu');
  return menu;
}

/**
 * Puts a subsidy policy version (county staff). `effectiveFrom` (CST date) may not be before
 * today, nor today when a version dated today is already in force (422 DATE_IN_PAST, details
 * give the earliest date); the county's first version may carry a past date. Rules and why:
 * `earliestPolicyStart` in domain/dates.ts. A future version is replaced by putting its date again.
 */
export async function putPolicy(p: Principal, input: z.output<typeof putPolicyBody>, now: Date): Promise<PolicyVersion> {
  assertCountyStaff(p, p.county);
  for (const [i, r] of input.rules.entries()) {
    if (r.match.minAge !== undefined && r.match.maxAge !== undefined && r.match.minAge > r.match.maxAge) {
      throw errors.validation([{ path: `rules.${i}.match.maxAge`, message: 'must not be below minAge' }]);
    }
  }
  const today = cstDate(now);
  const version: PolicyVersion = { ...input, county: p.county, version: input.effectiveFrom, updatedAt: now.toISOString() };
  const event = { type: 'subsidy_policy.updated', county: p.county, entity: `subsidy_policy:${p.county}:${input.effectiveFrom}`, data: { ...input } } as const;
  await putPolicyVersion({
    effectiveFrom: input.effectiveFrom,
    today,
    inForce: () => store.policyInForce(p.county, today),
    breach: (inForce) => policyStartBreach(input.effectiveFrom, today, inForce),
    put: (replace) => store.putPolicy(version, event, { replace }),
  });
  return version;
}

export async function getPolicy(p: Principal, date: string | undefined, now: Date): Promise<PolicyVersion> {
  const policy = await store.policyInForce(p.county, date ?? cstDate(now));
  if (!policy) throw errors.notFound('Subsidy policy in force on that date');
  return policy;
}

/**
 * Staff change of a meal site (staff of its township's area): the fields given change, slots per
 * slot and field (a slot not offered yet needs capacity, price and cutoff). A capacity lowered
 * below the seats booked on any date of the booking window (today to 30 days ahead, CST) is 409
 * CAPACITY_BELOW_BOOKED naming each date, slot and booked count; the check and bookings are
 * serialised (store/sites.ts), so it holds while bookings arrive. A change racing another is
 * decided again on the fresh site. Suspending stops new bookings only: existing bookings stay,
 * can be cancelled and are served, and servings (booked or walk-in, uploaded late by an offline
 * counter) are still recorded, because a meal already served is the site's due whatever its
 * status now. Emits `meal_site.updated`.
 */
export async function patchSite(p: Principal, siteId: string, input: PatchSiteInput, now: Date): Promise<MealSite> {
  let site = await store.getSite(siteId, { consistent: true });
  if (!site) throw errors.notFound('Meal site');
  assertStaffCoversTownship(p, site.township);
  const today = cstDate(now);
  const dates = Array.from({ length: BOOKING_HORIZON_DAYS + 1 }, (_, i) => addDays(today, i));
  const at = now.toISOString();
  for (let attempt = 1; ; attempt++) {
    const slotsNext = { ...site.slots };
    for (const slot of slots) {
      const change = input.slots?.[slot];
      if (!change) continue;
      const merged = { ...site.slots[slot], ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
      if (merged.capacity === undefined || merged.priceFen === undefined || merged.cutoff === undefined) {
        throw errors.validation((['capacity', 'priceFen', 'cutoff'] as const).filter((f) => merged[f] === undefined).map((f) => ({ path: `slots.${slot}.${f}`, message: 'required for a slot the site does not offer yet' })));
      }
      slotsNext[slot] = { capacity: merged.capacity, priceFen: merged.priceFen, cutoff: merged.cutoff };
    }
    const { kitchenStreamUrl: _k, ...rest } = site;
    // null clears the stream; absent keeps it.
    const url = input.kitchenStreamUrl === undefined ? site.kitchenStreamUrl : (input.kitchenStreamUrl ?? undefined);
    const next: MealSite = {
      ...rest,
      ...(url !== undefined && { kitchenStreamUrl: url }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.address !== undefined && { address: input.address }),
      ...(input.delivery !== undefined && { delivery: input.delivery }),
      ...(input.status !== undefined && { status: input.status }),
      slots: slotsNext,
      updatedAt: at,
    };
    const changed = Object.keys(input);
    // The slots whose booking terms change get them on their seat counters; a lowered capacity is checked there.
    const was = site;
    const slotTerms = slots.flatMap((slot) => {
      const terms = store.bookingTerms(next, slot);
      if (!terms || terms === store.bookingTerms(was, slot)) return [];
      const before = was.slots[slot]?.capacity;
      const after = next.slots[slot]!.capacity;
      return [{ slot, terms, ...(before !== undefined && after < before && { lowerTo: after }) }];
    });
    const r = await store.updateSite(site, next, slotTerms, dates, {
      type: 'meal_site.updated',
      county: site.county,
      entity: `meal_site:${site.id}`,
      data: { siteId: site.id, changed, status: next.status, delivery: next.delivery, slots: next.slots },
    });
    if (r.ok) return next;
    if (r.reason === 'below_booked') {
      throw errors.rule('CAPACITY_BELOW_BOOKED', `More seats are already booked than the new capacity allows (${r.breaches.map((b) => `${b.date} ${b.slot}: ${b.booked}`).join(', ')}).`,
        r.breaches.map((b) => ({ path: `slots.${b.slot}.capacity`, message: `${b.booked} seats already booked on ${b.date}`, date: b.date, slot: b.slot, booked: b.booked })));
    }
    if (attempt >= 4) throw new Error('site change kept racing other changes');
    site = await store.getSite(siteId, { consistent: true });
    if (!site) throw errors.notFound('Meal site');
  }
}
