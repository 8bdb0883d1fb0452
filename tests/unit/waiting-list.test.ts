import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classOf, orderQueue, queuedAt, UNCLASSED, type AdmissionPolicy, type QueuedApplication } from '../../functions/beds/domain/waiting-list.js';

// Issue 16: the waiting list's order, reproducible from the data (no hidden score).
const county: AdmissionPolicy = {
  effectiveFrom: '2026-01-01',
  classes: [
    { name: '特困供养', match: { categories: ['extreme_poverty'] } },
    { name: '低保低收入失能', match: { categories: ['subsistence_allowance', 'low_income'], capabilityLevelAtLeast: 2 } },
    { name: '高龄', match: { minAge: 80 } },
  ],
  offerHoldDays: 3,
  declinesBeforeRequeue: 2,
};
const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 0, day, hour)).toISOString();
const app = (id: string, appliedAt: string, elder: QueuedApplication['elder'], declinedAt: string[] = []): QueuedApplication => ({ id, appliedAt, elder, declinedAt });

describe('priority classes', () => {
  it('the first class an elder matches is theirs; none matched ranks after all', () => {
    expect(classOf(county, { age: 85, categories: ['extreme_poverty'] })).toEqual({ rank: 0, name: '特困供养' });
    expect(classOf(county, { age: 70, categories: ['low_income'], capabilityLevel: 2 })).toEqual({ rank: 1, name: '低保低收入失能' });
    // Low income but capable: not the second class; 82 years old: the third.
    expect(classOf(county, { age: 82, categories: ['low_income'], capabilityLevel: 1 })).toEqual({ rank: 2, name: '高龄' });
    expect(classOf(county, { age: 70, categories: [] })).toEqual({ rank: 3, name: UNCLASSED });
  });

  it('orders by class, then by application time', () => {
    const q = orderQueue(county, [
      app('A', at(1), { age: 70, categories: [] }),
      app('B', at(5), { age: 90, categories: [] }),
      app('C', at(9), { age: 75, categories: ['extreme_poverty'] }),
      app('D', at(3), { age: 81, categories: [] }),
    ]);
    expect(q.map((p) => [p.position, p.id, p.priorityClass])).toEqual([[1, 'C', '特困供养'], [2, 'D', '高龄'], [3, 'B', '高龄'], [4, 'A', UNCLASSED]]);
  });

  it('moves an elder to the end of their class after the policy\'s number of declines', () => {
    const once = app('X', at(1), { age: 85, categories: [] }, [at(10)]);
    const twice = app('X', at(1), { age: 85, categories: [] }, [at(10), at(12)]);
    expect(queuedAt(county, once)).toEqual({ at: at(1), requeued: false });
    expect(queuedAt(county, twice)).toEqual({ at: at(12), requeued: true });
    const others = [app('Y', at(5), { age: 85, categories: [] }), app('Z', at(11), { age: 85, categories: [] })];
    expect(orderQueue(county, [twice, ...others]).map((p) => p.id)).toEqual(['Y', 'Z', 'X']);
    expect(orderQueue(county, [once, ...others]).map((p) => p.id)).toEqual(['X', 'Y', 'Z']);
  });
});

// Generated applications and policies.
const categories = ['extreme_poverty', 'subsistence_allowance', 'low_income', 'living_alone', 'veteran'];
const elderArb = fc.record({ age: fc.integer({ min: 60, max: 105 }), categories: fc.subarray(categories), capabilityLevel: fc.integer({ min: 0, max: 4 }) });
const instant = fc.integer({ min: 0, max: 400 * 86_400 }).map((s) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString());
const appsArb = fc.uniqueArray(
  fc.record({ id: fc.stringMatching(/^[0-9A-Z]{6}$/), appliedAt: instant, elder: elderArb, declinedAt: fc.array(instant, { maxLength: 5 }).map((d) => d.sort()) }),
  { selector: (a) => a.id, maxLength: 40 },
);
const policyArb: fc.Arbitrary<AdmissionPolicy> = fc.record({
  effectiveFrom: fc.constant('2026-01-01'),
  classes: fc.array(fc.record({
    name: fc.string({ minLength: 1, maxLength: 6 }),
    match: fc.record({ categories: fc.subarray(categories, { minLength: 1 }), minAge: fc.integer({ min: 60, max: 95 }), capabilityLevelAtLeast: fc.integer({ min: 0, max: 4 }) }, { requiredKeys: [] }),
  }), { maxLength: 5 }),
  offerHoldDays: fc.integer({ min: 1, max: 7 }),
  declinesBeforeRequeue: fc.integer({ min: 0, max: 4 }),
});

describe('the order, for any data and policy (property-based)', () => {
  it('is a total order: positions 1..n, by class rank, then queue time, then id; the same whatever order the data comes in', () => {
    fc.assert(fc.property(policyArb, appsArb, fc.infiniteStream(fc.nat()), (policy, apps, seeds) => {
      const q = orderQueue(policy, apps);
      expect(q.map((p) => p.position)).toEqual(apps.map((_, i) => i + 1));
      expect(new Set(q.map((p) => p.id))).toEqual(new Set(apps.map((a) => a.id)));
      for (let i = 1; i < q.length; i++) {
        const [a, b] = [q[i - 1]!, q[i]!];
        expect(a.classRank < b.classRank || (a.classRank === b.classRank && (a.queuedAt < b.queuedAt || (a.queuedAt === b.queuedAt && a.id < b.id)))).toBe(true);
      }
      const shuffled = [...apps].sort(() => (seeds.next().value! % 3) - 1);
      expect(orderQueue(policy, shuffled)).toEqual(q);
    }), { numRuns: 200 });
  });

  it('a policy change re-orders by the new classes, and keeps the order of two elders whose class and queue time it does not change', () => {
    fc.assert(fc.property(policyArb, policyArb, appsArb, (before, after, apps) => {
      const b = orderQueue(before, apps);
      const a = orderQueue(after, apps);
      expect(a).toEqual(orderQueue(after, [...apps].reverse()));
      const key = (q: typeof a) => new Map(q.map((p) => [p.id, p]));
      const [kb, ka] = [key(b), key(a)];
      for (const x of apps) for (const y of apps) {
        const [xb, yb, xa, ya] = [kb.get(x.id)!, kb.get(y.id)!, ka.get(x.id)!, ka.get(y.id)!];
        const sameClassBoth = xb.classRank === yb.classRank && xa.classRank === ya.classRank;
        const sameTimes = xb.queuedAt === xa.queuedAt && yb.queuedAt === ya.queuedAt;
        if (sameClassBoth && sameTimes) expect(xb.position < yb.position).toBe(xa.position < ya.position);
        // A class ranked earlier under the new policy always comes first.
        if (xa.classRank < ya.classRank) expect(xa.position).toBeLessThan(ya.position);
      }
    }), { numRuns: 100 });
  });
});
