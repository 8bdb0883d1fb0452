import { earliestVersionStart, versionStartBreach, type DateBreach } from '#shared/dates.js';
import { addDays } from './slot-time.js';

/**
 * Date rules of meal commands, pure (dates are CST `YYYY-MM-DD`).
 */

/** How far ahead a meal can be booked: today and the next 30 days. */
export const BOOKING_HORIZON_DAYS = 30;

/**
 * A booking's date must lie in the booking window, today to today + 30 days: before it is
 * DATE_IN_PAST, after it DATE_IN_FUTURE; the detail gives the whole window
 * (`mustNotBeBefore`, `mustNotBeAfter`). Today's slots also close at the site's cutoff
 * (CUTOFF_PASSED, checked with the site's clock rules).
 */
export function bookingDateBreach(date: string, today: string, horizonDays = BOOKING_HORIZON_DAYS): DateBreach | undefined {
  const last = addDays(today, horizonDays);
  const window = { mustNotBeBefore: today, mustNotBeAfter: last };
  if (date < today) return { code: 'DATE_IN_PAST', message: `Meals can be booked from today (${today}) to ${last}.`, detail: { path: 'date', message: `is before today (${today}); bookings are open from ${today} to ${last}`, ...window } };
  if (date > last) return { code: 'DATE_IN_FUTURE', message: `Meals can be booked at most ${horizonDays} days ahead, to ${last}.`, detail: { path: 'date', message: `is more than ${horizonDays} days ahead; bookings are open from ${today} to ${last}`, ...window } };
  return undefined;
}

/**
 * The earliest `effectiveFrom` a subsidy policy version may take, given the `effectiveFrom` of
 * the version in force today (undefined when none is).
 *
 * Meals are priced with the version in force on their date, and each serving names that
 * version by its `effectiveFrom`. A version starting before today would put other rules in
 * force on days whose meals are already priced (late uploads of those days would be priced
 * differently from the rest, and `GET /v1/subsidy-policy?date=` would answer rules that priced
 * nothing). So:
 * - a new version may start today at the earliest: meals already served today keep the version
 *   they name, which stays stored unchanged (policies often take effect on the day they are
 *   issued, 自发布之日起施行);
 * - the version in force today may not be replaced (it may already have priced today's meals,
 *   and replacing it would change what their `policyVersion` means): tomorrow at the earliest;
 * - the county's first version may carry a past date (the day its policy was adopted): no
 *   version priced any meal before it, so there is nothing to contradict;
 * - future versions can be replaced freely until they take effect.
 */
export const earliestPolicyStart = earliestVersionStart;

/** DATE_IN_PAST when `effectiveFrom` is before `earliestPolicyStart`; the detail says the earliest. */
export const policyStartBreach = (effectiveFrom: string, today: string, inForceToday: string | undefined): DateBreach | undefined =>
  versionStartBreach(effectiveFrom, today, inForceToday, { decides: "priced today's meals", changes: 'the subsidy of meals already priced' });
