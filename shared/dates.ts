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
