import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyOn, quoteSubsidy, type Eligibility, type SubsidyPolicy } from '../../functions/meals/domain/subsidy.js';

const elder = (age: number, categories: string[] = [], capabilityLevel = 0): Eligibility => ({ age, categories, capabilityLevel });

describe('Beijing: 5 yuan per elder per day, 3 yuan per diner to the site', () => {
  const beijing: SubsidyPolicy = { effectiveFrom: '2026-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }], dailyCapFen: 500, siteSubsidyPerDinerFen: 300 };

  it('gives 5 yuan on the first meal of the day', () => {
    expect(quoteSubsidy(beijing, elder(72), 1200, 'dine_in')).toEqual({ subsidyFen: 500, payFen: 700, basis: 'rule' });
  });
  it('gives nothing more once 5 yuan were granted that day', () => {
    expect(quoteSubsidy(beijing, elder(72), 1200, 'dine_in', 500)).toMatchObject({ subsidyFen: 0, payFen: 1200, basis: 'daily_cap_reached' });
  });
  it('gives the rest of the cap when a cheaper meal used part of it', () => {
    expect(quoteSubsidy(beijing, elder(72), 1200, 'dine_in', 300).subsidyFen).toBe(200);
  });
  it('gives nothing under 60', () => {
    expect(quoteSubsidy(beijing, elder(59), 1200, 'dine_in').subsidyFen).toBe(0);
  });
});

describe('Shenzhen Futian: 15 yuan for dibao/tekun 60+, 5 yuan for everyone 70+', () => {
  const futian: SubsidyPolicy = {
    effectiveFrom: '2026-01-01',
    rules: [
      { match: { categories: ['dibao', 'tekun'], minAge: 60 }, subsidyFen: 1500 },
      { match: { minAge: 70 }, subsidyFen: 500 },
    ],
  };
  it.each([
    ['dibao aged 65', elder(65, ['dibao']), 1500],
    ['tekun aged 75: the largest matching rule wins', elder(75, ['tekun']), 1500],
    ['ordinary aged 75', elder(75), 500],
    ['ordinary aged 65', elder(65), 0],
    ['dibao aged 58', elder(58, ['dibao']), 0],
  ])('%s', (_n, e, fen) => {
    expect(quoteSubsidy(futian, e, 2000, 'dine_in').subsidyFen).toBe(fen);
  });
  it('never pays more than the price', () => {
    expect(quoteSubsidy(futian, elder(65, ['dibao']), 1000, 'dine_in')).toEqual({ subsidyFen: 1000, payFen: 0, basis: 'rule' });
  });
});

describe('a Shanghai district: 6/3/2 yuan by category and age band, +4 yuan delivery at level 2+, only on meals of 15 yuan or more', () => {
  const shanghai: SubsidyPolicy = {
    effectiveFrom: '2026-01-01',
    minPriceFen: 1500,
    rules: [
      { match: { categories: ['dibao', 'tekun', 'low_income'], minAge: 60 }, subsidyFen: 600 },
      { match: { minAge: 80 }, subsidyFen: 300 },
      { match: { minAge: 70, maxAge: 79 }, subsidyFen: 200 },
    ],
    deliverySubsidy: { capabilityLevelAtLeast: 2, subsidyFen: 400 },
  };
  it.each([
    ['low-income 66, dine-in', elder(66, ['low_income']), 'dine_in', 600],
    ['85, dine-in', elder(85), 'dine_in', 300],
    ['75, dine-in', elder(75), 'dine_in', 200],
    ['65 ordinary', elder(65), 'dine_in', 0],
    ['85, level 3, delivered', elder(85, [], 3), 'delivery', 700],
    ['85, level 1, delivered: no add-on', elder(85, [], 1), 'delivery', 300],
    ['dibao 70, level 2, delivered', elder(70, ['dibao'], 2), 'delivery', 1000],
  ] as const)('%s', (_n, e, mode, fen) => {
    expect(quoteSubsidy(shanghai, e, 1600, mode).subsidyFen).toBe(fen);
  });
  it('gives nothing on a meal under 15 yuan', () => {
    expect(quoteSubsidy(shanghai, elder(85, ['dibao'], 3), 1400, 'delivery')).toMatchObject({ subsidyFen: 0, basis: 'below_min_price' });
  });
});

describe('properties', () => {
  const policy = fc.record({
    effectiveFrom: fc.constant('2026-01-01'),
    rules: fc.array(fc.record({ match: fc.record({ minAge: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), categories: fc.option(fc.subarray(['dibao', 'tekun', 'living_alone']), { nil: undefined }) }), subsidyFen: fc.integer({ min: 0, max: 3000 }) }), { maxLength: 4 }),
    minPriceFen: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
    dailyCapFen: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
    deliverySubsidy: fc.option(fc.record({ capabilityLevelAtLeast: fc.integer({ min: 0, max: 4 }), subsidyFen: fc.integer({ min: 0, max: 1000 }) }), { nil: undefined }),
  });
  const eligibility = fc.record({ age: fc.integer({ min: 50, max: 105 }), categories: fc.subarray(['dibao', 'tekun', 'living_alone']), capabilityLevel: fc.integer({ min: 0, max: 4 }) });

  it('subsidy is never negative, never above the price or the cap left, and subsidy + pay = price', () => {
    fc.assert(fc.property(policy, eligibility, fc.integer({ min: 0, max: 5000 }), fc.constantFrom('dine_in', 'pickup', 'delivery' as const), fc.integer({ min: 0, max: 3000 }), (p, e, price, mode, used) => {
      const q = quoteSubsidy(p, e, price, mode, used);
      expect(q.subsidyFen).toBeGreaterThanOrEqual(0);
      expect(q.subsidyFen).toBeLessThanOrEqual(price);
      if (p.dailyCapFen !== undefined) expect(q.subsidyFen).toBeLessThanOrEqual(Math.max(0, p.dailyCapFen - used));
      if (p.minPriceFen !== undefined && price < p.minPriceFen) expect(q.subsidyFen).toBe(0);
      expect(q.subsidyFen + q.payFen).toBe(price);
    }));
  });
});

describe('policy versions', () => {
  const v = [{ effectiveFrom: '2026-01-01', n: 1 }, { effectiveFrom: '2026-07-01', n: 2 }, { effectiveFrom: '2027-01-01', n: 3 }];
  it('a meal uses the policy in force on its date', () => {
    expect(policyOn(v, '2025-12-31')).toBeUndefined();
    expect(policyOn(v, '2026-01-01')?.n).toBe(1);
    expect(policyOn(v, '2026-06-30')?.n).toBe(1);
    expect(policyOn(v, '2026-07-01')?.n).toBe(2);
    expect(policyOn(v, '2030-01-01')?.n).toBe(3);
  });
});
