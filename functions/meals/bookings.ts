import { staffCoversTownship } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type { Page, PageRequest } from '#shared/pagination.js';
import type * as z from 'zod/mini';
import { dietaryNeeds } from '#shared/schemas/elders.js';
import type { BookingView, createBookingBody, kitchenList } from '#shared/schemas/meals.js';
import { cstDate } from '#shared/time.js';
import { newEventId } from '../lib/ids.js';
import { metrics } from '../lib/powertools.js';
import type { Elder } from '../registry/domain/elder.js';
import * as registry from '../registry/store.js';
import { canOperateSite } from './access.js';
import { cutoffPassed } from './domain/slot-time.js';
import { bookingDateBreach } from './domain/dates.js';
import { refuseFirst } from '#shared/dates.js';
import { deceasedOn } from '../registry/domain/death.js';
import { modes, quoteSubsidy } from './domain/subsidy.js';
import type { Booking } from './domain/model.js';
import { eligibilityOn } from './eligibility.js';
import { operableSite, readableSite } from './sites.js';
import * as store from './store/index.js';

export const bookingView = (b: Booking): BookingView => ({
  id: b.id,
  status: b.status,
  elderId: b.elderId,
  siteId: b.siteId,
  date: b.date,
  slot: b.slot,
  mode: b.mode,
  ...(b.deliveryAddress && { deliveryAddress: b.deliveryAddress }),
  priceFen: b.priceFen,
  subsidyFen: b.subsidyFen,
  payFen: b.payFen,
  createdAt: b.createdAt,
  updatedAt: b.updatedAt,
});

/** May this caller act for this elder's meals? Family: linked; staff: the elder's area. */
async function actsForElder(p: Principal, elder: Elder): Promise<boolean> {
  if (p.county !== elder.county) return false;
  if (p.role === 'family') return registry.isFamilyLinked(elder.id, p.sub);
  if (p.role === 'staff') return staffCoversTownship(p, elder.township);
  return false;
}

async function elderOr404(elderId: string): Promise<Elder> {
  const elder = await registry.getElder(elderId);
  if (!elder) throw errors.notFound('Elder');
  return elder;
}

/**
 * Books a meal. The site is read, the booking decided on it and written with a check that the
 * site's slot (capacity, price) and status are still as read; a staff change landing meanwhile
 * makes the write fail and the booking is decided again on the fresh site (up to four times),
 * so it is refused with SITE_SUSPENDED or SLOT_FULL exactly when the site now says so.
 */
export async function createBooking(p: Principal, input: z.output<typeof createBookingBody>, now: Date): Promise<BookingView> {
  for (let attempt = 1; ; attempt++) {
    // After a refusal as stale, read the site strongly consistent: an eventually consistent read
    // could show the old terms again.
    const r = await tryBooking(p, input, now, attempt > 1);
    if (r) return r;
    if (attempt >= 4) throw new Error('booking kept racing changes to its site');
  }
}

async function tryBooking(p: Principal, input: z.output<typeof createBookingBody>, now: Date, consistent: boolean): Promise<BookingView | undefined> {
  const site = await readableSite(p, input.siteId, { consistent });
  const elder = await elderOr404(input.elderId);
  // Sites book walk-ins at their own counter; families and staff for the elders they act for.
  const allowed = p.role === 'site' ? canOperateSite(p, site) && elder.county === site.county : await actsForElder(p, elder);
  if (!allowed) throw errors.forbidden('The caller may not book for this elder here.');
  if (site.status === 'suspended') throw errors.rule('SITE_SUSPENDED', 'This meal site is suspended and takes no new bookings.', [{ path: 'siteId', message: 'site suspended' }]);
  const cfg = site.slots[input.slot];
  if (!cfg) throw errors.rule('SLOT_NOT_OFFERED', `This site does not serve ${input.slot}.`, [{ path: 'slot', message: 'not offered by this site' }]);
  if (input.mode === 'delivery' && !site.delivery) throw errors.rule('DELIVERY_NOT_OFFERED', 'This site does not deliver.', [{ path: 'mode', message: 'delivery not offered' }]);
  // The window (today to 30 days ahead) first, then the elder's death against the meal's date.
  refuseFirst(bookingDateBreach(input.date, cstDate(now)), deceasedOn(elder, input.date, 'date'));
  if (cutoffPassed(input.date, cfg.cutoff, now)) throw errors.rule('CUTOFF_PASSED', `Booking for ${input.date} ${input.slot} closed at ${cfg.cutoff}.`);

  const policy = await store.policyInForce(site.county, input.date);
  const quote = quoteSubsidy(policy, eligibilityOn(elder, input.date), cfg.priceFen, input.mode);
  const at = now.toISOString();
  const booking: Booking = {
    id: store.bookingId(site.id, input.date, input.slot, newEventId(now.getTime())),
    status: 'booked',
    county: site.county,
    elderId: elder.id,
    siteId: site.id,
    date: input.date,
    slot: input.slot,
    mode: input.mode,
    ...(input.mode === 'delivery' && input.deliveryAddress && { deliveryAddress: input.deliveryAddress }),
    elderName: elder.name,
    elderTownship: elder.township,
    dietaryNeeds: [...elder.dietaryNeeds],
    livingAlone: elder.categories.includes('living_alone'),
    priceFen: cfg.priceFen,
    subsidyFen: quote.subsidyFen,
    payFen: quote.payFen,
    bookedBy: { role: p.role, sub: p.sub },
    createdAt: at,
    updatedAt: at,
  };
  const r = await store.insertBooking(booking, cfg.capacity, store.bookingTerms(site, input.slot)!, {
    type: 'booking.created',
    county: site.county,
    entity: `booking:${booking.id}`,
    data: { bookingId: booking.id, elderId: elder.id, siteId: site.id, date: booking.date, slot: booking.slot, mode: booking.mode, priceFen: booking.priceFen, subsidyFen: booking.subsidyFen },
  });
  if (!r.ok) {
    if (r.reason === 'slot_full') throw errors.rule('SLOT_FULL', `No seats left for ${input.slot} on ${input.date}.`);
    if (r.reason === 'site_changed') return undefined;
    throw errors.rule('ALREADY_BOOKED', 'This elder already has a booking for that date and slot.', [{ path: 'slot', message: 'already booked', bookingId: r.bookingId }]);
  }
  metrics.addMetric('Bookings', 'Count', 1);
  return bookingView(booking);
}

export async function cancelBooking(p: Principal, bookingId: string, now: Date): Promise<BookingView> {
  const booking = await store.getBooking(bookingId);
  if (!booking) throw errors.notFound('Booking');
  const site = await readableSite(p, booking.siteId);
  const allowed = p.role === 'site' ? canOperateSite(p, site) : await actsForElder(p, await elderOr404(booking.elderId));
  if (!allowed) throw errors.forbidden('The caller may not cancel this booking.');
  if (booking.status !== 'booked') throw errors.rule('NOT_CANCELLABLE', `This booking is ${booking.status}.`);
  const cutoff = site.slots[booking.slot]?.cutoff ?? '00:00';
  if (cutoffPassed(booking.date, cutoff, now)) throw errors.rule('CUTOFF_PASSED', `Cancelling closed at ${cutoff} on ${booking.date}.`);
  const at = now.toISOString();
  const r = await store.cancelBooking(booking, at, { type: 'booking.cancelled', county: booking.county, entity: `booking:${booking.id}`, data: { bookingId: booking.id, reason: 'requested' } });
  if (!r.ok) throw errors.rule('NOT_CANCELLABLE', 'This booking changed meanwhile; it can no longer be cancelled.');
  return bookingView({ ...booking, status: 'cancelled', updatedAt: at });
}

/** A page of an elder's bookings, newest date first. */
export async function listElderBookings(p: Principal, elderId: string, page: PageRequest): Promise<Page<BookingView>> {
  const elder = await elderOr404(elderId);
  if (!(await actsForElder(p, elder))) throw errors.forbidden('This elder is outside the caller\'s reach.');
  const { items, next } = await store.elderBookingsPage(elderId, page);
  return { items: items.map(bookingView), next };
}

export async function kitchen(p: Principal, siteId: string, date: string): Promise<z.input<typeof kitchenList>> {
  const site = await operableSite(p, siteId);
  const { booked, bookings } = await store.siteDay(siteId, date);
  const live = bookings.filter((b) => b.status === 'booked' || b.status === 'served');
  const slotsOut = (Object.keys(site.slots) as (keyof typeof site.slots)[]).filter((s) => site.slots[s]).map((slot) => {
    const mine = live.filter((b) => b.slot === slot);
    const byMode = Object.fromEntries(modes.map((m) => [m, mine.filter((b) => b.mode === m).length])) as Record<(typeof modes)[number], number>;
    // Every need, zeros included: the kitchen reads "0 halal" as surely as "3 soft" (and the
    // KitchenList schema requires each key).
    const byDietaryNeed = Object.fromEntries(dietaryNeeds.map((d) => [d, mine.filter((b) => b.dietaryNeeds.includes(d)).length])) as Record<(typeof dietaryNeeds)[number], number>;
    return { slot, booked: booked[slot] ?? 0, byMode, byDietaryNeed };
  });
  return {
    siteId,
    date,
    slots: slotsOut as never,
    deliveries: live.filter((b) => b.mode === 'delivery').map((b) => ({ bookingId: b.id, slot: b.slot, elderName: b.elderName, address: b.deliveryAddress ?? '', dietaryNeeds: b.dietaryNeeds as never })),
    bookings: bookings.map(bookingView),
    elders: live.map((b) => ({ bookingId: b.id, elderName: b.elderName, dietaryNeeds: b.dietaryNeeds as never })),
  };
}

/**
 * Cancels an elder's open bookings for meals dated on or after `fromDate` (a death reported
 * with that date): each frees its seat and emits `booking.cancelled` with reason
 * `elder_deceased`. Bookings before that date are the living elder's and stay as they are
 * (served, or still to become no-shows). Idempotent: returns how many it cancelled this time.
 */
export async function cancelBookingsFrom(elderId: string, fromDate: string, now: Date): Promise<number> {
  let cancelled = 0;
  for (const id of await store.activeBookingIds(elderId, fromDate)) {
    const b = await store.getBooking(id);
    if (b?.status !== 'booked') continue;
    const r = await store.cancelBooking(b, now.toISOString(), { type: 'booking.cancelled', county: b.county, entity: `booking:${b.id}`, data: { bookingId: b.id, reason: 'elder_deceased' } });
    if (r.ok) cancelled++;
  }
  return cancelled;
}
