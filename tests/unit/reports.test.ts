import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Serving } from '../../functions/meals/domain/model.js';
import { daysOf, findAnomalies, summarizeDay } from '../../functions/meals/domain/reports.js';
import { settle, settlementCsv } from '../../functions/meals/domain/settlement.js';

let n = 0;
const serving = (over: Partial<Serving> = {}): Serving => ({
  id: `sv_${n++}`, status: 'recorded', county: '411327', township: '411327101', siteId: 'site_a', clientRecordId: `c${n}`, elderId: 'eld_1',
  date: '2026-11-02', slot: 'lunch', mode: 'dine_in', servedAt: '2026-11-02T04:00:00.000Z', verifiedBy: 'card', priceFen: 1500, subsidyFen: 500,
  payFen: 1000, subsidyBasis: 'rule', policyVersion: '2026-01-01', siteSubsidyPerDinerFen: 300, categories: ['dibao'], age: 80, recordedAt: '2026-11-02T04:00:01.000Z', recordedBy: 'dev',
  ...over,
});

describe('settlement', () => {
  it('totals are the sums of the lines, voided servings excluded', () => {
    const s = settle([
      serving({ elderId: 'a' }),
      serving({ elderId: 'a', slot: 'dinner', subsidyFen: 0, payFen: 1500 }),
      serving({ elderId: 'b', categories: [] }),
      serving({ elderId: 'c', status: 'voided', voided: { at: 'x', by: 'y', reason: 'z' } }),
      serving({ elderId: 'a', date: '2026-11-03' }),
    ], new Map([['a', { name: '甲', idNumberMasked: '411327********0011' }]]));
    expect(s.meals).toBe(4);
    expect(s.subsidisedMeals).toBe(3);
    expect(s.mealSubsidyFen).toBe(1500);
    expect(s.siteSubsidyFen).toBe(2 * 300 + 1 * 300); // 2 diners on the 2nd, 1 on the 3rd
    expect(s.totalFen).toBe(s.lines.reduce((t, l) => t + l.subsidyFen, 0));
    expect(s.byCategory).toEqual([{ category: 'dibao', meals: 2, subsidyFen: 1000 }, { category: 'none', meals: 1, subsidyFen: 500 }]);
    expect(s.lines[0]).toMatchObject({ kind: 'meal', elderName: '甲' });
  });

  it('for any servings, the CSV\'s subsidy column sums to its total row and to the JSON total', () => {
    fc.assert(fc.property(fc.array(fc.record({
      elderId: fc.constantFrom('a', 'b', 'c', 'd'), day: fc.integer({ min: 1, max: 28 }), subsidyFen: fc.integer({ min: 0, max: 2000 }),
      voided: fc.boolean(), perDiner: fc.constantFrom(undefined, 0, 300),
    }), { maxLength: 60 }), (rows) => {
      const servings = rows.map((r) => serving({
        elderId: r.elderId, date: `2026-11-${String(r.day).padStart(2, '0')}`, subsidyFen: r.subsidyFen, payFen: 1500 - Math.min(1500, r.subsidyFen),
        status: r.voided ? 'voided' : 'recorded', siteSubsidyPerDinerFen: 300,
      }));
      const s = settle(servings, new Map());
      const csv = parse(settlementCsv(s, { siteId: 'site_a', month: '2026-11' }), { bom: true }) as string[][];
      const col = csv[0]!.indexOf('subsidyFen');
      const body = csv.slice(1, -1).map((l) => Number(l[col]));
      const total = Number(csv.at(-1)![col]);
      expect(body.reduce((a, b) => a + b, 0)).toBe(total);
      expect(total).toBe(s.totalFen);
      expect(s.mealSubsidyFen).toBe(servings.filter((x) => x.status === 'recorded').reduce((a, x) => a + x.subsidyFen, 0));
    }));
  });

  it('quotes text cells and neutralises formulas in names (CWE-1236)', () => {
    const s = settle([serving({ elderId: 'a' }), serving({ elderId: 'b' })], new Map([['a', { name: '王, "老"', idNumberMasked: 'x' }], ['b', { name: '=HYPERLINK("http://x.invalid/","查看")', idNumberMasked: 'y' }]]));
    const csv = settlementCsv(s, { siteId: 's', month: '2026-11' });
    expect(csv).toContain('"王, ""老"""');
    const rows = parse(csv, { bom: true }) as string[][];
    const name = rows[0]!.indexOf('elderName');
    expect(rows.slice(1, 3).map((r) => r[name])).toEqual(['王, "老"', '\'=HYPERLINK("http://x.invalid/","查看")']);
  });
});

describe('daily summary', () => {
  it('counts by slot and mode, distinct elders and the per-diner site subsidy', () => {
    const d = summarizeDay([serving({ elderId: 'a' }), serving({ elderId: 'a', slot: 'dinner', mode: 'delivery', subsidyFen: 0 }), serving({ elderId: 'b', status: 'voided' })]);
    expect(d).toMatchObject({ servings: 2, bySlot: { breakfast: 0, lunch: 1, dinner: 1 }, byMode: { dine_in: 1, pickup: 0, delivery: 1 }, subsidisedMeals: 1, subsidyFen: 500, distinctElders: 1, siteSubsidyFen: 300, voided: 1 });
  });

  it('knows the days of a month', () => {
    expect(daysOf('2028-02')).toHaveLength(29);
    expect(daysOf('2026-11').at(-1)).toBe('2026-11-30');
  });
});

describe('anomalies', () => {
  it('flags two sites within 30 minutes, over capacity, servings on or after a date of death and unusual manual verification', () => {
    const servings = [
      serving({ elderId: 'x', siteId: 'site_a', servedAt: '2026-11-02T04:00:00Z' }),
      serving({ elderId: 'x', siteId: 'site_b', servedAt: '2026-11-02T04:20:00Z' }),
      serving({ elderId: 'y', siteId: 'site_a', servedAt: '2026-11-02T04:00:00Z' }),
      serving({ elderId: 'y', siteId: 'site_b', servedAt: '2026-11-02T05:00:00Z' }),
      ...Array.from({ length: 25 }, (_, i) => serving({ elderId: `m${i}`, siteId: 'site_m', verifiedBy: 'manual', slot: 'dinner' })),
      ...Array.from({ length: 60 }, (_, i) => serving({ elderId: `c${i}`, siteId: 'site_c', slot: 'breakfast' })),
    ];
    const found = findAnomalies({ servings, capacity: (site, slot) => (site === 'site_c' && slot === 'breakfast' ? 50 : 1000), dateOfDeath: new Map([['y', '2026-11-02']]) });
    const kinds = found.map((a) => a.kind).sort();
    expect(kinds).toEqual(['deceased_elder_served', 'deceased_elder_served', 'manual_verification_share', 'over_capacity', 'two_sites_within_30_minutes']);
    expect(found.find((a) => a.kind === 'two_sites_within_30_minutes')).toMatchObject({ elderId: 'x', minutesApart: 20 });
    expect(found.find((a) => a.kind === 'over_capacity')).toMatchObject({ siteId: 'site_c', servings: 60, capacity: 50 });
  });

  it('flags one device record id on servings of two dates at one site; ids of other sites and voided servings are not', () => {
    const found = findAnomalies({
      servings: [
        serving({ siteId: 'site_r', clientRecordId: 't7-0001', elderId: 'p', date: '2026-11-02' }),
        serving({ siteId: 'site_r', clientRecordId: 't7-0001', elderId: 'q', date: '2026-11-05' }),
        serving({ siteId: 'site_s', clientRecordId: 't7-0001', elderId: 'p', date: '2026-11-02' }),
        serving({ siteId: 'site_s', clientRecordId: 't7-0002', elderId: 'p', date: '2026-11-02' }),
        serving({ siteId: 'site_s', clientRecordId: 't7-0002', elderId: 'q', date: '2026-11-03', status: 'voided' }),
      ],
      capacity: () => undefined,
      dateOfDeath: new Map(),
    });
    expect(found.filter((a) => a.kind === 'record_id_on_two_dates')).toEqual([expect.objectContaining({ kind: 'record_id_on_two_dates', siteId: 'site_r', clientRecordId: 't7-0001', dates: ['2026-11-02', '2026-11-05'] })]);
  });
});

describe('anomalies of deceased elders: the date of each serving against the date of death', () => {
  const servings = [
    serving({ id: 'before', elderId: 'd', date: '2026-11-01', servedAt: '2026-11-01T04:05:00.000Z' }),
    serving({ id: 'on', elderId: 'd', date: '2026-11-02', servedAt: '2026-11-02T00:30:00.000Z', slot: 'breakfast' }),
    serving({ id: 'after', elderId: 'd', date: '2026-11-05', servedAt: '2026-11-05T04:05:00.000Z' }),
    serving({ id: 'voided', elderId: 'd', date: '2026-11-06', status: 'voided', voided: { at: 'x', by: 'y', reason: 'z' } }),
    serving({ id: 'alive', elderId: 'a', date: '2026-11-05' }),
  ];
  const deceased = (dateOfDeath: Map<string, string>) => findAnomalies({ servings, capacity: () => undefined, dateOfDeath }).filter((a) => a.kind === 'deceased_elder_served');

  it('lists only servings dated on or after the date of death, with the date', () => {
    expect(deceased(new Map([['d', '2026-11-02']]))).toEqual([
      { kind: 'deceased_elder_served', elderId: 'd', servingId: 'on', siteId: 'site_a', date: '2026-11-02', dateOfDeath: '2026-11-02' },
      { kind: 'deceased_elder_served', elderId: 'd', servingId: 'after', siteId: 'site_a', date: '2026-11-05', dateOfDeath: '2026-11-02' },
    ]);
  });

  it('a later date of death questions fewer servings, an earlier one more; the living none', () => {
    expect(deceased(new Map([['d', '2026-11-03']])).map((a) => a.kind === 'deceased_elder_served' && a.servingId)).toEqual(['after']);
    expect(deceased(new Map([['d', '2026-11-01']])).map((a) => a.kind === 'deceased_elder_served' && a.servingId)).toEqual(['before', 'on', 'after']);
    expect(deceased(new Map())).toEqual([]);
  });
});
