import { cstDate } from '#shared/time.js';
import { dateNotAhead, dateNotBefore, instantNotAhead, instantNotBefore, type DateBreach } from '#shared/dates.js';

/**
 * Date rules of bed commands, pure. A bed command's date says when it happened: never later
 * than now (plus 5 minutes of clock drift; dates: today, China Standard Time), never before a
 * date the record already has. Each function returns the first rule broken, or undefined.
 * The elder's death is checked apart (registry/domain/death.ts): admissions, transfers and
 * home care beds leave the elder holding a bed now, which a deceased elder can't.
 */

/** ISO instant or undefined, as stored; undefined when the record never had it. */
const instantOf = (iso: string | undefined): Date | undefined => (iso === undefined ? undefined : new Date(iso));

/**
 * An admission dated `admittedAt`: not in the future (DATE_IN_FUTURE: the bed would be shown
 * occupied before anyone moved in), not before the elder's birth, before the bed's last occupant
 * left (`bedVacantSince`) or before the elder's own last discharge (`elderLeftAt`): the elder
 * or the bed would be in two places at once (DATE_OUT_OF_ORDER); through an offer, not before the
 * offer was made (`offerMadeAt`: the bed was held for the elder from then). A late entry is fine.
 */
export function admissionBreach(a: { admittedAt: Date; now: Date; birthDate: string; bedVacantSince?: string; elderLeftAt?: string; offerMadeAt?: string }): DateBreach | undefined {
  const vacant = instantOf(a.bedVacantSince);
  const left = instantOf(a.elderLeftAt);
  const offered = instantOf(a.offerMadeAt);
  return instantNotAhead('admittedAt', a.admittedAt, a.now)
    ?? dateNotBefore('admittedAt', cstDate(a.admittedAt), a.birthDate, 'the elder\'s birth date')
    ?? (vacant ? instantNotBefore('admittedAt', a.admittedAt, vacant, 'the time the bed\'s last occupant left') : undefined)
    ?? (left ? instantNotBefore('admittedAt', a.admittedAt, left, 'the elder\'s last discharge') : undefined)
    ?? (offered ? instantNotBefore('admittedAt', a.admittedAt, offered, 'the offer of this bed (it was held from then)') : undefined);
}

/** A discharge dated `dischargedAt`: not in the future, not before the residence's `since` (admission or last transfer). */
export function dischargeBreach(d: { dischargedAt: Date; now: Date; since: string }): DateBreach | undefined {
  return instantNotAhead('dischargedAt', d.dischargedAt, d.now)
    ?? instantNotBefore('dischargedAt', d.dischargedAt, new Date(d.since), 'the admission (or last transfer) of this residence');
}

/** A transfer dated `transferredAt`: not in the future, not before the residence's `since`, nor before the target bed became vacant. */
export function transferBreach(t: { transferredAt: Date; now: Date; since: string; toBedVacantSince?: string }): DateBreach | undefined {
  const vacant = instantOf(t.toBedVacantSince);
  return instantNotAhead('transferredAt', t.transferredAt, t.now)
    ?? instantNotBefore('transferredAt', t.transferredAt, new Date(t.since), 'the admission (or last transfer) of this residence')
    ?? (vacant ? instantNotBefore('transferredAt', t.transferredAt, vacant, 'the time the target bed\'s last occupant left') : undefined);
}

/** A home care bed started on `startedAt` (CST date): not after today, not before the birth date, nor before the elder's previous home care bed closed. */
export function homeCareOpenBreach(h: { startedAt: string; today: string; birthDate: string; previousClosedAt?: string }): DateBreach | undefined {
  return dateNotAhead('startedAt', h.startedAt, h.today)
    ?? dateNotBefore('startedAt', h.startedAt, h.birthDate, 'the elder\'s birth date')
    ?? (h.previousClosedAt ? dateNotBefore('startedAt', h.startedAt, h.previousClosedAt, 'the close of the elder\'s previous home care bed') : undefined);
}

/** A home care bed closed on `closedAt` (CST date): not after today, not before it started. */
export function homeCareCloseBreach(h: { closedAt: string; today: string; startedAt: string }): DateBreach | undefined {
  return dateNotAhead('closedAt', h.closedAt, h.today) ?? dateNotBefore('closedAt', h.closedAt, h.startedAt, 'the start of the home care bed');
}
