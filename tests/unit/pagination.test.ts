import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invert, page } from '../../shared/pagination.js';

describe('list pages', () => {
  it('walking every page returns each item once, in order', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (keys, limit) => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const p = page(keys, (k) => k, { limit, nextToken: token });
        expect(p.items.length).toBeLessThanOrEqual(limit);
        seen.push(...p.items);
        token = p.nextToken;
      } while (token);
      expect(seen).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }));
  });

  it('has no nextToken on the last page, and survives items added in between', () => {
    const first = page(['a', 'c', 'e'], (k) => k, { limit: 2 });
    expect(first.items).toEqual(['a', 'c']);
    const second = page(['a', 'b', 'c', 'd', 'e'], (k) => k, { limit: 2, nextToken: first.nextToken });
    expect(second).toEqual({ items: ['d', 'e'] });
  });

  it('inverted keys list newest first', () => {
    const p = page(['2026-11-01', '2026-11-03', '2026-11-02'], invert, { limit: 10 });
    expect(p.items).toEqual(['2026-11-03', '2026-11-02', '2026-11-01']);
  });

  it('refuses a token it did not give out', () => {
    expect(() => page(['a'], (k) => k, { limit: 1, nextToken: '' + '%%%' })).toThrow();
  });
});
