import { type AppError, errors, type ErrorDetail } from './http/errors.js';
import { cstIso } from './time.js';

/**
 * Date rules every dated command shares: nothing that happened can be dated later than now,
 * and nothing can be dated before a date its record already has. Pure functions: each returns
 * the rule it breaks (as data, so unit tests need no HTTP) or `undefined`; `refuseFirst` turns
 * the first breach into the catalogue's 422.
 *
 * Forms: an *instant* is a `Date` (requests send ISO 8601 with an offset); a *date* is
 * `YYYY-MM-DD` in China Standard Time (see `shared/time.ts`). Equal is never a breach: a
 * discharge at the very instant of the admission, a home care bed closed the day it opened.
 */

/** An instant as people read it: China Standard Time, whole seconds unless it has a fraction. */
const shown = (at: Date): string => cstIso(at).replace('.000+', '+');

/** Device and server clocks drift: an instant up to 5 minutes ahead of ours is still "now". */
export const CLOCK_DRIFT_MS = 5 * 60 * 1000;

export type DateRuleCode = 'DATE_IN_FUTURE' | 'DATE_IN_PAST' | 'DATE_OUT_OF_ORDER' | 'ELDER_DECEASED';

/** A broken date rule: the catalogue code, a sentence for people, and the detail naming the field. */
export interface DateBreach {
  readonly code: DateRuleCode;
  readonly message: string;
  readonly detail: ErrorDetail & { readonly path: string };
}

/** The breach as the catalogue's error (422), its detail naming the field. */
export const breachError = (b: DateBreach): AppError => errors.rule(b.code, b.message, [b.detail]);

/** Throws the first breach as the catalogue's error (422), with its detail; does nothing if none. */
export function refuseFirst(...breaches: readonly (DateBreach | undefined)[]): void {
  const b = breaches.find((x) => x !== undefined);
  if (b) throw breachError(b);
}

/**
 * DATE_IN_FUTURE when `at` (something that happened: an admission, a discharge) is later than
 * `now` plus `CLOCK_DRIFT_MS`. The detail's `mustNotBeAfter` is that limit, in China Standard Time.
 */
export function instantNotAhead(path: string, at: Date, now: Date): DateBreach | undefined {
  const latest = new Date(now.getTime() + CLOCK_DRIFT_MS);
  if (at.getTime() <= latest.getTime()) return undefined;
  return {
    code: 'DATE_IN_FUTURE',
    message: `${path} is in the future.`,
    detail: { path, message: `is later than now (${shown(now)}) plus 5 minutes of clock drift`, mustNotBeAfter: shown(latest) },
  };
}

/** DATE_IN_FUTURE when the date `date` (a day something happened) is after `today` (both CST `YYYY-MM-DD`). */
export function dateNotAhead(path: string, date: string, today: string): DateBreach | undefined {
  if (date <= today) return undefined;
  return { code: 'DATE_IN_FUTURE', message: `${path} is in the future.`, detail: { path, message: `is after today (${today}, China Standard Time)`, mustNotBeAfter: today } };
}

/**
 * DATE_OUT_OF_ORDER when the date `date` is before `earliest`, a date the record already has
 * (`what` names it for people: "the birth date", "the start of the home care bed").
 */
export function dateNotBefore(path: string, date: string, earliest: string, what: string): DateBreach | undefined {
  if (date >= earliest) return undefined;
  return { code: 'DATE_OUT_OF_ORDER', message: `${path} is before ${what}.`, detail: { path, message: `is before ${what} (${earliest})`, mustNotBeBefore: earliest } };
}

/** DATE_OUT_OF_ORDER when the instant `at` is before the instant `earliest` (see `dateNotBefore`). */
export function instantNotBefore(path: string, at: Date, earliest: Date, what: string): DateBreach | undefined {
  if (at.getTime() >= earliest.getTime()) return undefined;
  const limit = shown(earliest);
  return { code: 'DATE_OUT_OF_ORDER', message: `${path} is before ${what}.`, detail: { path, message: `is before ${what} (${limit})`, mustNotBeBefore: limit } };
}

const dayAfter = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The earliest `effectiveFrom` a new version of a county policy versioned by date (the subsidy
 * policy, the admission policy) may take, given the version in force today (`inForceToday`, its
 * `effectiveFrom`). Past days were decided by the version then in force, so no version starts
 * before today; the version in force today may already have decided something today, so it is
 * not replaced: tomorrow at the earliest. The county's first version may carry a past date
 * (nothing was decided before it): undefined, no bound. Dates are CST `YYYY-MM-DD`.
 */
export function earliestVersionStart(today: string, inForceToday: string | undefined): string | undefined {
  if (inForceToday === undefined) return undefined;
  return inForceToday === today ? dayAfter(today) : today;
}

/**
 * DATE_IN_PAST when `effectiveFrom` is before `earliestVersionStart`; the detail says the
 * earliest and why, in the policy's own words: `decides` is what a version decides ("priced
 * today's meals"), `changes` what an earlier start would change ("the subsidy of meals already
 * priced").
 */
export function versionStartBreach(effectiveFrom: string, today: string, inForceToday: string | undefined, words: { decides: string; changes: string }): DateBreach | undefined {
  const earliest = earliestVersionStart(today, inForceToday);
  if (earliest === undefined || effectiveFrom >= earliest) return undefined;
  const why = inForceToday === today && effectiveFrom === today
    ? `the version in force today (${today}) may already have ${words.decides}; a new version can start tomorrow (${earliest})`
    : `would change ${words.changes} by the version in force since ${inForceToday}; a new version can start ${earliest === today ? 'today' : 'tomorrow'} (${earliest}) at the earliest`;
  return { code: 'DATE_IN_PAST', message: `effectiveFrom can be ${earliest} at the earliest.`, detail: { path: 'effectiveFrom', message: why, mustNotBeBefore: earliest } };
}
