import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterCursor, earliestAdmissionPolicyStart, inQueueOf, queued, queueOn, type BedApplication } from '../../functions/beds/domain/applications.js';
import type { AdmissionPolicy } from '../../functions/beds/domain/waiting-list.js';

// Issue 16, part 1: which applications form an institution's queue, what of the elder ranks them,
// and how a page of the queue continues. Pure functions; the API tests are in
// tests/integration/bed-applications.test.ts.
const application = (id: string, more: Partial<BedApplication> = {}): BedApplication => ({
  id, elderId: `eld_${id}`, county: '411327', elderTownship: '411327101', status: 'waiting', careType: 'nursing', tags: [],
  categoriesAtFiling: [], birthDate: '1950-06-15', appliedAt: `2026-01-0${(id.charCodeAt(0) % 9) + 1}T09:00:00.000Z`, declinedAt: [], filedBy: 'staff', ...more,
});
const policy: AdmissionPolicy = { effectiveFrom: '2026-01-01', classes: [{ name: '高龄', match: { minAge: 80 } }], offerHoldDays: 3, declinesBeforeRequeue: 2 };

describe('an institution\'s queue', () => {
  const home = { id: 'inst_a', township: '411327101' };
  it.each([
    ['naming it', { institutionIds: ['inst_b', 'inst_a'] }, true],
    ['naming others only', { institutionIds: ['inst_b'] }, false],
    ['naming none, preferring its township', { township: '411327101' }, true],
    ['naming none, preferring another township', { township: '411327102' }, false],
    ['naming none, preferring nothing', {}, true],
    // A named institution wins over a township preference.
    ['naming it, preferring another township', { institutionIds: ['inst_a'], township: '411327102' }, true],
  ])('holds an application %s: %s', (_what, more, expected) => {
    expect(inQueueOf(application('A', more), home)).toBe(expected);
  });
});

describe('ranking', () => {
  it('counts the age on the ordering day, from the birth date recorded at filing', () => {
    const a = application('A', { birthDate: '1946-06-15', categoriesAtFiling: ['tekun'], capabilityLevelAtFiling: 3 });
    expect(queued(a, '2026-06-14').elder).toEqual({ age: 79, categories: ['tekun'], capabilityLevel: 3 });
    expect(queued(a, '2026-06-15').elder.age).toBe(80);
    // The day the elder turns 80 moves them into 高龄, ahead of an earlier application.
    const b = application('B', { appliedAt: '2025-12-01T00:00:00.000Z' });
    expect(queueOn(policy, [b, a], '2026-06-14').map((q) => q.id)).toEqual(['B', 'A']);
    expect(queueOn(policy, [b, a], '2026-06-15').map((q) => q.id)).toEqual(['A', 'B']);
  });

  it('pages continued after a cursor return the rest of the queue, each once, even when entries leave meanwhile', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[A-Z]{3}$/), day: fc.integer({ min: 1, max: 9 }), old: fc.boolean() }), { selector: (x) => x.id, maxLength: 30 }),
      fc.integer({ min: 1, max: 7 }),
      (specs, limit) => {
        const apps = specs.map((s) => application(s.id, { appliedAt: `2026-01-0${s.day}T09:00:00.000Z`, birthDate: s.old ? '1940-01-01' : '1960-01-01' }));
        const order = queueOn(policy, apps, '2026-06-01');
        const seen: string[] = [];
        let rest = order;
        while (rest.length) {
          const page = rest.slice(0, limit);
          seen.push(...page.map((p) => p.id));
          const last = page.at(-1)!;
          // The first of the page leaves the queue meanwhile: the next page is unaffected.
          const remaining = order.filter((p) => p.id !== page[0]!.id);
          rest = remaining.filter((p) => afterCursor(p, { rank: last.classRank, at: last.queuedAt, id: last.id }));
        }
        expect(seen).toEqual(order.map((p) => p.id));
      },
    ));
  });
});

describe('earliest admission policy start', () => {
  it('is unbounded for the first version, today after an older one, tomorrow after one dated today', () => {
    expect(earliestAdmissionPolicyStart('2026-12-01', undefined)).toBeUndefined();
    expect(earliestAdmissionPolicyStart('2026-12-01', '2020-01-01')).toBe('2026-12-01');
    expect(earliestAdmissionPolicyStart('2026-12-31', '2026-12-31')).toBe('2027-01-01');
  });
});
