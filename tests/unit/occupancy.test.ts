import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bedDelta, bedStatuses, combine, occupancyFigures, recount, zeroCounts, type BedStatus, type Counts } from '../../functions/beds/domain/occupancy.js';

describe('bed transitions as counter deltas', () => {
  it('admitting into a vacant nursing bed moves one bed from vacant to occupied', () => {
    expect(bedDelta({ careType: 'nursing', tags: ['dementia'] }, 'vacant', 'occupied')).toEqual({
      counts: { vacant: -1, occupied: 1, nursingVacant: -1, nursingOccupied: 1 },
      vacantTags: { 'vacantTag:nursing:dementia': -1 },
    });
  });
  it('adding a bed counts it once', () => {
    expect(bedDelta({ careType: 'ordinary', tags: [] }, undefined, 'vacant').counts).toEqual({ beds: 1, vacant: 1 });
  });
  it('a transfer between care types is the sum of two transitions', () => {
    const d = combine(bedDelta({ careType: 'ordinary', tags: [] }, 'occupied', 'vacant'), bedDelta({ careType: 'nursing', tags: [] }, 'vacant', 'occupied'));
    // Occupied and vacant cancel out; only the nursing split changes.
    expect(d.counts).toEqual({ nursingOccupied: 1, nursingVacant: -1 });
  });

  it('applying the deltas of any sequence of transitions equals a recount of the beds', () => {
    const bed = fc.record({ careType: fc.constantFrom('nursing' as const, 'ordinary' as const), tags: fc.subarray(['dementia', 'hospice']) });
    fc.assert(fc.property(fc.array(bed, { minLength: 1, maxLength: 20 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...bedStatuses)), { maxLength: 100 }), (shapes, steps) => {
      const beds = shapes.map((s) => ({ ...s, status: 'vacant' as BedStatus }));
      const c: Counts = zeroCounts();
      const apply = (d: ReturnType<typeof bedDelta>) => {
        for (const [k, v] of Object.entries(d.counts) as [keyof Counts, number][]) c[k] += v;
      };
      for (const b of beds) apply(bedDelta(b, undefined, 'vacant'));
      for (const [i, to] of steps) {
        const b = beds[i % beds.length]!;
        apply(bedDelta(b, b.status, to));
        b.status = to;
      }
      expect(c).toEqual(recount(beds));
      expect(c.beds).toBe(c.vacant + c.occupied + c.reserved + c.outOfService);
    }));
  });
});

describe('occupancy figures', () => {
  it('computes rates, nursing share and beds per 1,000 elders', () => {
    const f = occupancyFigures({ ...zeroCounts(), beds: 7879, occupied: 5000, vacant: 2879, nursingBeds: 5515, nursingOccupied: 4000, nursingVacant: 1515, homeCareBeds: 80 }, 112_557);
    expect(f).toMatchObject({ occupancyRate: 0.6346, nursingShare: 0.7, bedsPer1000Elders: 70, homeCareBeds: 80 });
  });
  it('has no per-1,000 figure without a population', () => {
    expect(occupancyFigures(zeroCounts(), 0).bedsPer1000Elders).toBeNull();
  });
});
