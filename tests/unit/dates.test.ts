import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateNotAhead, dateNotBefore, instantNotAhead, instantNotBefore, refuseFirst } from '../../shared/dates.js';
import { AppError } from '../../shared/http/errors.js';
import { deadOn, deathDateOf, deceasedNow, deceasedOn, decideDeathReport, UNKNOWN_DEATH_DATE } from '../../functions/registry/domain/death.js';
import { bookingDateBreach, earliestPolicyStart, policyStartBreach } from '../../functions/meals/domain/dates.js';
import { admissionBreach, dischargeBreach, homeCareCloseBreach, homeCareOpenBreach, transferBreach } from '../../functions/beds/domain/dates.js';

// 2026-11-24 10:00 China Standard Time.
const now = new Date('2026-11-24T02:00:00.000Z');
const today = '2026-11-24';
const minutes = (m: number) => new Date(now.getTime() + m * 60_000);

describe('shared date rules', () => {
  it('an instant may be at most 5 minutes ahead of now (clock drift), and says the limit in China Standard Time', () => {
    expect(instantNotAhead('admittedAt', minutes(5), now)).toBeUndefined();
    expect(instantNotAhead('admittedAt', minutes(-60 * 24 * 400), now)).toBeUndefined();
    const b = instantNotAhead('admittedAt', new Date(minutes(5).getTime() + 1), now);
    expect(b).toMatchObject({ code: 'DATE_IN_FUTURE', detail: { path: 'admittedAt', mustNotBeAfter: '2026-11-24T10:05:00+08:00' } });
  });

  it('a date may be today at the latest (CST)', () => {
    expect(dateNotAhead('startedAt', today, today)).toBeUndefined();
    expect(dateNotAhead('startedAt', '2026-11-25', today)).toMatchObject({ code: 'DATE_IN_FUTURE', detail: { path: 'startedAt', mustNotBeAfter: today } });
  });

  it('order: equal is fine, earlier is DATE_OUT_OF_ORDER naming the date it must not precede', () => {
    expect(dateNotBefore('closedAt', '2026-11-01', '2026-11-01', 'the start')).toBeUndefined();
    expect(dateNotBefore('closedAt', '2026-10-31', '2026-11-01', 'the start')).toMatchObject({ code: 'DATE_OUT_OF_ORDER', detail: { path: 'closedAt', mustNotBeBefore: '2026-11-01', message: 'is before the start (2026-11-01)' } });
    expect(instantNotBefore('dischargedAt', now, now, 'the admission')).toBeUndefined();
    expect(instantNotBefore('dischargedAt', minutes(-1), now, 'the admission')).toMatchObject({ code: 'DATE_OUT_OF_ORDER', detail: { mustNotBeBefore: '2026-11-24T10:00:00+08:00' } });
  });

  it('refuseFirst throws the first breach as its catalogue error (422) and nothing when all pass', () => {
    expect(() => refuseFirst(undefined, undefined)).not.toThrow();
    try {
      refuseFirst(undefined, dateNotAhead('startedAt', '2026-12-01', today), dateNotBefore('startedAt', '1900-01-01', '1940-01-01', 'the birth date'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({ code: 'DATE_IN_FUTURE', status: 422, details: [{ path: 'startedAt' }] });
    }
  });
});

describe('a death is a date', () => {
  const alive = { status: 'active' as const, birthDate: '1940-05-01' };
  const died = { status: 'deceased' as const, dateOfDeath: '2026-11-24', birthDate: '1940-05-01' };

  it('records dated before the date of death are the living elder\'s; on or after it, the deceased\'s', () => {
    expect(deadOn(died, '2026-11-23')).toBe(false);
    expect(deadOn(died, '2026-11-24')).toBe(true);
    expect(deadOn(died, '2026-12-01')).toBe(true);
    expect(deadOn(alive, '2099-01-01')).toBe(false);
    expect(deceasedOn(died, '2026-11-23', 'servedAt')).toBeUndefined();
    expect(deceasedOn(died, '2026-11-24', 'servedAt')).toMatchObject({ code: 'ELDER_DECEASED', detail: { path: 'servedAt', dateOfDeath: '2026-11-24' } });
  });

  it('a record marked deceased without a date counts as deceased on every date', () => {
    const legacy = { status: 'deceased' as const };
    expect(deathDateOf(legacy)).toBe(UNKNOWN_DEATH_DATE);
    expect(deadOn(legacy, '1990-01-01')).toBe(true);
    expect(deceasedOn(legacy, '2026-11-24', 'date')?.detail).not.toHaveProperty('dateOfDeath');
  });

  it('holding a bed from now on is refused for any deceased elder, whatever the record\'s date', () => {
    expect(deceasedNow(alive, 'elderId')).toBeUndefined();
    expect(deceasedNow(died, 'elderId')).toMatchObject({ code: 'ELDER_DECEASED', detail: { dateOfDeath: '2026-11-24' } });
  });

  it('decides what a report does: record, correct to an earlier date, already (same or later), or refuse', () => {
    expect(decideDeathReport(alive, today, today)).toEqual({ kind: 'record', was: { status: 'active' } });
    expect(decideDeathReport({ status: 'deceased', birthDate: '1940-05-01' }, today, today)).toEqual({ kind: 'record', was: { status: 'deceased' } });
    expect(decideDeathReport(died, '2026-11-20', today)).toEqual({ kind: 'correct', was: { status: 'deceased', dateOfDeath: '2026-11-24' } });
    expect(decideDeathReport(died, '2026-11-24', today)).toEqual({ kind: 'already', recorded: '2026-11-24' });
    expect(decideDeathReport({ ...died, dateOfDeath: '2026-11-20' }, '2026-11-24', today)).toEqual({ kind: 'already', recorded: '2026-11-20' });
    expect(decideDeathReport(alive, '2026-11-25', today)).toMatchObject({ kind: 'refused', breach: { code: 'DATE_IN_FUTURE', detail: { path: 'dateOfDeath' } } });
    expect(decideDeathReport(alive, '1940-04-30', today)).toMatchObject({ kind: 'refused', breach: { code: 'DATE_OUT_OF_ORDER', detail: { path: 'dateOfDeath', mustNotBeBefore: '1940-05-01' } } });
    expect(decideDeathReport(alive, '1940-05-01', today).kind).toBe('record');
  });

  it('whatever order reports come in, the record ends on the earliest date (fast-check)', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((k) => new Date(Date.UTC(2026, 9, 1) + k * 86_400_000).toISOString().slice(0, 10));
    fc.assert(fc.property(fc.array(day, { minLength: 1, maxLength: 8 }), (reports) => {
      let e: { status: 'active' | 'deceased'; dateOfDeath?: string; birthDate: string } = { status: 'active', birthDate: '1940-05-01' };
      for (const d of reports) {
        const decision = decideDeathReport(e, d, '2026-12-31');
        if (decision.kind === 'record' || decision.kind === 'correct') e = { ...e, status: 'deceased', dateOfDeath: d };
      }
      expect(e.dateOfDeath).toBe([...reports].sort()[0]);
    }));
  });
});

describe('meal dates', () => {
  it('bookings are open from today to 30 days ahead; outside, a catalogue code and the window', () => {
    expect(bookingDateBreach(today, today)).toBeUndefined();
    expect(bookingDateBreach('2026-12-24', today)).toBeUndefined();
    expect(bookingDateBreach('2026-11-23', today)).toMatchObject({ code: 'DATE_IN_PAST', detail: { path: 'date', mustNotBeBefore: today, mustNotBeAfter: '2026-12-24' } });
    expect(bookingDateBreach('2026-12-25', today)).toMatchObject({ code: 'DATE_IN_FUTURE', detail: { path: 'date', mustNotBeBefore: today, mustNotBeAfter: '2026-12-24' } });
  });

  it('a policy version starts today at the earliest, tomorrow when today\'s version is in force; the first may be backdated', () => {
    expect(earliestPolicyStart(today, undefined)).toBeUndefined();
    expect(earliestPolicyStart(today, '2026-01-01')).toBe(today);
    expect(earliestPolicyStart(today, today)).toBe('2026-11-25');
    expect(policyStartBreach('2020-01-01', today, undefined)).toBeUndefined();
    expect(policyStartBreach(today, today, '2026-01-01')).toBeUndefined();
    expect(policyStartBreach('2027-01-01', today, today)).toBeUndefined();
    expect(policyStartBreach('2026-11-23', today, '2026-01-01')).toMatchObject({ code: 'DATE_IN_PAST', detail: { path: 'effectiveFrom', mustNotBeBefore: today } });
    expect(policyStartBreach(today, today, today)).toMatchObject({ code: 'DATE_IN_PAST', detail: { mustNotBeBefore: '2026-11-25' } });
    expect(policyStartBreach('2026-01-01', today, '2026-01-01')).toMatchObject({ code: 'DATE_IN_PAST' });
  });
});

describe('bed dates', () => {
  const birthDate = '1940-05-01';

  it('admissions: late entries fine; not ahead of now + 5 minutes, before birth, the bed\'s last departure or the elder\'s own', () => {
    expect(admissionBreach({ admittedAt: minutes(-60 * 24 * 30), now, birthDate })).toBeUndefined();
    expect(admissionBreach({ admittedAt: minutes(60 * 24 * 30), now, birthDate })?.code).toBe('DATE_IN_FUTURE');
    expect(admissionBreach({ admittedAt: new Date('1940-04-30T12:00:00+08:00'), now, birthDate })).toMatchObject({ code: 'DATE_OUT_OF_ORDER', detail: { path: 'admittedAt', mustNotBeBefore: birthDate } });
    // 1940-05-01 00:30 CST is still the birth date: the comparison is by China Standard Time date.
    expect(admissionBreach({ admittedAt: new Date('1940-04-30T16:30:00Z'), now, birthDate })).toBeUndefined();
    const left = minutes(-60).toISOString();
    expect(admissionBreach({ admittedAt: minutes(-61), now, birthDate, bedVacantSince: left })).toMatchObject({ code: 'DATE_OUT_OF_ORDER', detail: { mustNotBeBefore: '2026-11-24T09:00:00+08:00' } });
    expect(admissionBreach({ admittedAt: minutes(-60), now, birthDate, bedVacantSince: left })).toBeUndefined();
    expect(admissionBreach({ admittedAt: minutes(-61), now, birthDate, elderLeftAt: left })?.detail.message).toContain('last discharge');
  });

  it('discharges and transfers: not ahead of now, not before the residence\'s since; transfers not before the target bed was left', () => {
    const since = minutes(-60 * 24).toISOString();
    expect(dischargeBreach({ dischargedAt: now, now, since })).toBeUndefined();
    expect(dischargeBreach({ dischargedAt: new Date(since), now, since })).toBeUndefined();
    expect(dischargeBreach({ dischargedAt: minutes(-60 * 24 * 4), now, since })).toMatchObject({ code: 'DATE_OUT_OF_ORDER', detail: { path: 'dischargedAt' } });
    expect(dischargeBreach({ dischargedAt: minutes(6), now, since })?.code).toBe('DATE_IN_FUTURE');
    expect(transferBreach({ transferredAt: now, now, since })).toBeUndefined();
    expect(transferBreach({ transferredAt: minutes(-60 * 24 * 2), now, since })).toMatchObject({ code: 'DATE_OUT_OF_ORDER', detail: { path: 'transferredAt' } });
    expect(transferBreach({ transferredAt: minutes(-60), now, since, toBedVacantSince: minutes(-30).toISOString() })).toMatchObject({ code: 'DATE_OUT_OF_ORDER', detail: { path: 'transferredAt' } });
    expect(transferBreach({ transferredAt: minutes(60), now, since })?.code).toBe('DATE_IN_FUTURE');
  });

  it('home care beds: start not after today nor before birth or the previous close; close not after today nor before the start', () => {
    expect(homeCareOpenBreach({ startedAt: today, today, birthDate })).toBeUndefined();
    expect(homeCareOpenBreach({ startedAt: '2026-11-25', today, birthDate })?.code).toBe('DATE_IN_FUTURE');
    expect(homeCareOpenBreach({ startedAt: '1939-01-01', today, birthDate })?.code).toBe('DATE_OUT_OF_ORDER');
    expect(homeCareOpenBreach({ startedAt: '2026-11-10', today, birthDate, previousClosedAt: '2026-11-12' })).toMatchObject({ code: 'DATE_OUT_OF_ORDER', detail: { mustNotBeBefore: '2026-11-12' } });
    expect(homeCareOpenBreach({ startedAt: '2026-11-12', today, birthDate, previousClosedAt: '2026-11-12' })).toBeUndefined();
    expect(homeCareCloseBreach({ closedAt: '2026-11-01', today, startedAt: '2026-11-01' })).toBeUndefined();
    expect(homeCareCloseBreach({ closedAt: '2026-10-29', today, startedAt: '2026-11-01' })).toMatchObject({ code: 'DATE_OUT_OF_ORDER', detail: { path: 'closedAt', mustNotBeBefore: '2026-11-01' } });
    expect(homeCareCloseBreach({ closedAt: '2026-11-25', today, startedAt: '2026-11-01' })?.code).toBe('DATE_IN_FUTURE');
  });
});
