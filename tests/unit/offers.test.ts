import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { institutionQueuePks, queueKeys } from '../../functions/beds/applications-store.js';
import { inQueueOf } from '../../functions/beds/domain/applications.js';
import { bedSuits, expiryOf, figuresOf, isLapsed, isResting, monthsBetween, pairOffers, type Candidate, type Offer, type VacantBed } from '../../functions/beds/domain/offers.js';

// Issue 16, offers: which bed goes to which application, holds, the figures, and the queue's
// scope partitions agreeing with the rule of who is in an institution's queue. Pure; the API
// and the races are in tests/integration/offers.test.ts.
const bed = (id: string, more: Partial<VacantBed> = {}): VacantBed => ({ id, label: id, careType: 'nursing', tags: [], ...more });
const app = (id: string, more: Partial<Candidate> = {}): Candidate => ({ id, status: 'waiting', careType: 'nursing', tags: [], ...more });

describe('which bed suits which application', () => {
  it.each([
    ['same care type, no tags needed', bed('b'), app('a'), true],
    ['a nursing application and an ordinary bed', bed('b', { careType: 'ordinary' }), app('a'), false],
    ['an ordinary application and a nursing bed (not spent on someone who needs none)', bed('b'), app('a', { careType: 'ordinary' }), false],
    ['the bed carries every tag needed', bed('b', { tags: ['dementia_care', 'hospice'] }), app('a', { tags: ['dementia_care'] }), true],
    ['a tag needed is missing', bed('b', { tags: ['hospice'] }), app('a', { tags: ['dementia_care'] }), false],
    ['the application declined this bed before', bed('b'), app('a', { declinedBeds: ['b'] }), false],
    ['it declined another bed', bed('b'), app('a', { declinedBeds: ['c'] }), true],
  ])('%s', (_what, b, a, expected) => {
    expect(bedSuits(b, a)).toBe(expected);
  });
});

describe('pairing beds with the queue', () => {
  it('the head of the queue chooses first; an offered application is skipped', () => {
    const pairs = pairOffers([bed('2'), bed('1', { tags: ['dementia_care'] })], [app('x', { status: 'offered' }), app('a'), app('b', { tags: ['dementia_care'] }), app('c')]);
    // a takes the first bed by label (1); b needs dementia care, which only bed 1 had: none left for b; c takes 2.
    expect(pairs.map((p) => [p.bed.id, p.application.id])).toEqual([['1', 'a'], ['2', 'c']]);
  });

  it('skips an application resting after its last decline (the hold days), not one whose decline is older', () => {
    const now = new Date('2026-12-05T00:00:00.000Z');
    const rest = { now, days: 3 };
    const recent = app('a', { declinedAt: ['2026-11-01T00:00:00.000Z', '2026-12-03T00:00:00.000Z'] });
    const older = app('b', { declinedAt: ['2026-12-01T23:59:59.000Z'] });
    expect(isResting(recent, now, 3)).toBe(true);
    expect(isResting(older, now, 3)).toBe(false);
    expect(pairOffers([bed('1'), bed('2')], [recent, older], rest).map((p) => p.application.id)).toEqual(['b']);
    expect(pairOffers([bed('1')], [recent]).map((p) => p.application.id)).toEqual(['a']);
  });

  const beds = fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), careType: fc.constantFrom('nursing' as const, 'ordinary' as const), tags: fc.subarray(['d', 'h']) }), { selector: (b) => b.id, maxLength: 8 }).map((bs) => bs.map((b) => ({ ...b, label: b.id })));
  const queue = fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), status: fc.constantFrom('waiting' as const, 'offered' as const), careType: fc.constantFrom('nursing' as const, 'ordinary' as const), tags: fc.subarray(['d', 'h']) }), { selector: (a) => a.id, maxLength: 12 });

  it('never gives a bed or an application two offers; every pair suits; only waiting applications (property)', () => {
    fc.assert(fc.property(beds, queue, (bs, q) => {
      const pairs = pairOffers(bs, q);
      expect(new Set(pairs.map((p) => p.bed.id)).size).toBe(pairs.length);
      expect(new Set(pairs.map((p) => p.application.id)).size).toBe(pairs.length);
      for (const p of pairs) {
        expect(bedSuits(p.bed, p.application)).toBe(true);
        expect(p.application.status).toBe('waiting');
      }
    }));
  });

  it('leaves no suitable bed idle while an application it suits goes without (property)', () => {
    fc.assert(fc.property(beds, queue, (bs, q) => {
      const pairs = pairOffers(bs, q);
      const freeBeds = bs.filter((b) => !pairs.some((p) => p.bed.id === b.id));
      const unpaired = q.filter((a) => a.status === 'waiting' && !pairs.some((p) => p.application.id === a.id));
      for (const a of unpaired) expect(freeBeds.some((b) => bedSuits(b, a))).toBe(false);
    }));
  });

  it('an application ahead in the queue is never passed over for a bed it suits by one behind it (property)', () => {
    fc.assert(fc.property(beds, queue, (bs, q) => {
      const pairs = pairOffers(bs, q);
      for (const [k, a] of q.entries()) {
        if (a.status !== 'waiting' || pairs.some((p) => p.application.id === a.id)) continue;
        // a got nothing: no bed it suits went to someone behind it.
        const behind = new Set(q.slice(k + 1).map((x) => x.id));
        expect(pairs.some((p) => behind.has(p.application.id) && bedSuits(p.bed, a))).toBe(false);
      }
    }));
  });
});

describe('holds', () => {
  it('hold days are whole days of 24 hours from the offer; lapsed at expiresAt, not a millisecond before', () => {
    const expires = expiryOf('2026-12-01T02:00:00.000Z', 3);
    expect(expires).toBe('2026-12-04T02:00:00.000Z');
    expect(isLapsed({ expiresAt: expires }, new Date('2026-12-04T01:59:59.999Z'))).toBe(false);
    expect(isLapsed({ expiresAt: expires }, new Date('2026-12-04T02:00:00.000Z'))).toBe(true);
  });
});

describe('an institution\'s queue partitions', () => {
  // The store reads an institution's queue from three partitions; they must hold exactly the
  // applications inQueueOf says are in it, or a queue would miss (or show) an application.
  const township = fc.constantFrom('411327101', '411327102');
  const inst = fc.record({ id: fc.constantFrom('inst_a', 'inst_b', 'inst_c'), township });
  const application = fc.record({
    id: fc.constant('app_1'), county: fc.constant('411327'),
    institutionIds: fc.option(fc.uniqueArray(fc.constantFrom('inst_a', 'inst_b', 'inst_c'), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    township: fc.option(township, { nil: undefined }),
  });
  it('hold an application exactly when inQueueOf does (property)', () => {
    fc.assert(fc.property(application, inst, (a, i) => {
      const pks = new Set(institutionQueuePks('411327', i));
      const found = queueKeys(a).some((k) => pks.has(k.pk));
      expect(found).toBe(inQueueOf(a, i));
    }));
  });
  it('every application has its county pool entry', () => {
    expect(queueKeys({ id: 'x', county: '411327', institutionIds: ['inst_a', 'inst_b'] }).map((k) => k.pk)).toEqual(['QUEUE#411327', 'QUEUE#411327#INST#inst_a', 'QUEUE#411327#INST#inst_b']);
  });
});

describe('figures', () => {
  const offer = (more: Partial<Offer>): Offer => ({
    id: 'o', county: '411327', institutionId: 'inst_a', institutionName: '城关镇敬老院', bedId: 'b', bedLabel: '1', careType: 'nursing', applicationId: 'a', elderId: 'e', elderTownship: '411327101',
    priorityClass: '特困供养', appliedAt: '2026-01-01T00:00:00.000Z', status: 'open', madeAt: '2026-03-10T00:00:00.000Z', expiresAt: '2026-03-13T00:00:00.000Z', ...more,
  });
  it('counts offers by the month they were made (China Standard Time) and how they ended', () => {
    const f = figuresOf([
      offer({ status: 'accepted', admittedAt: '2026-03-11T00:00:00.000Z' }),
      offer({ status: 'declined' }),
      // 2026-03-31T16:30Z is 1 April 00:30 in China Standard Time.
      offer({ status: 'expired', madeAt: '2026-03-31T16:30:00.000Z' }),
      offer({ status: 'open' }),
      offer({ status: 'withdrawn', madeAt: '2026-05-01T00:00:00.000Z' }),
    ], '2026-03', '2026-04');
    expect(f.months).toEqual([
      { month: '2026-03', made: 3, accepted: 1, declined: 1, expired: 0, withdrawn: 0 },
      { month: '2026-04', made: 1, accepted: 0, declined: 0, expired: 1, withdrawn: 0 },
    ]);
  });
  it('waits: days from application to admission, by institution and class, for admissions in the months', () => {
    const f = figuresOf([
      offer({ status: 'accepted', appliedAt: '2026-03-01T00:00:00.000Z', admittedAt: '2026-03-11T00:00:00.000Z' }),
      offer({ status: 'accepted', appliedAt: '2026-02-09T00:00:00.000Z', admittedAt: '2026-03-11T12:00:00.000Z' }),
      offer({ status: 'accepted', priorityClass: '其他', appliedAt: '2025-03-11T00:00:00.000Z', admittedAt: '2026-03-11T00:00:00.000Z' }),
      // Admitted in May: outside the months asked for.
      offer({ status: 'accepted', admittedAt: '2026-05-02T00:00:00.000Z' }),
    ], '2026-03', '2026-04');
    expect(f.waits).toEqual([
      { institutionId: 'inst_a', institutionName: '城关镇敬老院', priorityClass: '其他', admitted: 1, averageWaitDays: 365, longestWaitDays: 365 },
      { institutionId: 'inst_a', institutionName: '城关镇敬老院', priorityClass: '特困供养', admitted: 2, averageWaitDays: 20.3, longestWaitDays: 30.5 },
    ]);
  });
  it('months run across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02', '2026-01')).toEqual([]);
  });
});
