import { dateNotAhead, dateNotBefore, type DateBreach } from '#shared/dates.js';
import type { Elder } from './elder.js';

/**
 * A death is a date, not a switch (issue 10): a record dated before the date of death is the
 * living elder's (a lunch served the day before, uploaded late by an offline tablet, is paid
 * for); only records dated on or after it are the deceased's. Pure functions over CST dates
 * (`YYYY-MM-DD`).
 */

type DeathFacts = Pick<Elder, 'status' | 'dateOfDeath'>;

/**
 * A record marked deceased before dates were kept has no `dateOfDeath`: nobody knows since
 * when, so it counts as deceased on every date (the old behaviour) until a report gives a date.
 */
export const UNKNOWN_DEATH_DATE = '0000-01-01';

/** The elder's date of death (CST), or undefined while they are alive. */
export function deathDateOf(e: DeathFacts): string | undefined {
  if (e.status !== 'deceased') return undefined;
  return e.dateOfDeath ?? UNKNOWN_DEATH_DATE;
}

/** True when the elder had died by `date`: the date of death is on or before it. */
export function deadOn(e: DeathFacts, date: string): boolean {
  const d = deathDateOf(e);
  return d !== undefined && date >= d;
}

/**
 * ELDER_DECEASED when a record dated `date` (its field is `path`) falls on or after the date
 * of death: a meal served, a booking. Records dated before it are fine.
 */
export function deceasedOn(e: DeathFacts, date: string, path: string): DateBreach | undefined {
  const d = deathDateOf(e);
  if (d === undefined || date < d) return undefined;
  return {
    code: 'ELDER_DECEASED',
    message: `The elder is recorded as deceased on ${shownDeath(d)}; ${path} is on or after that date.`,
    detail: { path, message: `is on or after the elder's date of death (${shownDeath(d)})`, ...(d !== UNKNOWN_DEATH_DATE && { dateOfDeath: d, mustBeBefore: d }) },
  };
}

/**
 * ELDER_DECEASED for commands that leave the elder holding something *now* (a bed, a home care
 * bed), whatever their date: the bed registry says who is in a bed today, so a stay entered
 * late, dated before the death, would still show a bed occupied by someone who has died.
 * Such a history is a discharge (dated at the death) of a resident, not a new admission.
 */
export function deceasedNow(e: DeathFacts, path: string): DateBreach | undefined {
  const d = deathDateOf(e);
  if (d === undefined) return undefined;
  return {
    code: 'ELDER_DECEASED',
    message: `The elder is recorded as deceased on ${shownDeath(d)}: a bed can't be held from now on by someone who has died.`,
    detail: { path, message: `the elder is recorded as deceased (${shownDeath(d)}), and this would hold a bed from now on`, ...(d !== UNKNOWN_DEATH_DATE && { dateOfDeath: d }) },
  };
}

const shownDeath = (d: string) => (d === UNKNOWN_DEATH_DATE ? 'an unrecorded date' : d);

/** What the registry was when a report was decided on, so the write can be conditioned on it. */
export type DeathRecordState = { readonly status: 'active' } | { readonly status: 'deceased'; readonly dateOfDeath?: string };

/**
 * What a report of death with `dateOfDeath` does to the elder's record (`today` in CST):
 * - `refused`: after today (DATE_IN_FUTURE) or before the birth date (DATE_OUT_OF_ORDER);
 * - `record`: the elder was alive, or deceased without a recorded date: the date is set;
 * - `correct`: the elder was recorded deceased on a later date: staff or the platform correct it
 *   to the earlier one (a death is reported once it is known; the earlier date is the better one);
 * - `already`: the same date, or a later one than the date recorded (the elder had already died):
 *   unchanged, answered ALREADY_DECEASED with the recorded date.
 * `was` is the state the write must still find (the store conditions on it).
 */
export type DeathReportDecision =
  | { readonly kind: 'refused'; readonly breach: DateBreach }
  | { readonly kind: 'record' | 'correct'; readonly was: DeathRecordState }
  | { readonly kind: 'already'; readonly recorded: string };

export function decideDeathReport(e: Pick<Elder, 'status' | 'dateOfDeath' | 'birthDate'>, dateOfDeath: string, today: string): DeathReportDecision {
  const breach = dateNotAhead('dateOfDeath', dateOfDeath, today) ?? dateNotBefore('dateOfDeath', dateOfDeath, e.birthDate, 'the birth date');
  if (breach) return { kind: 'refused', breach };
  if (e.status === 'active') return { kind: 'record', was: { status: 'active' } };
  if (e.dateOfDeath === undefined) return { kind: 'record', was: { status: 'deceased' } };
  if (dateOfDeath < e.dateOfDeath) return { kind: 'correct', was: { status: 'deceased', dateOfDeath: e.dateOfDeath } };
  return { kind: 'already', recorded: e.dateOfDeath };
}
