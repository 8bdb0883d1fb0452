import { describe, expect, it } from 'vitest';
import { checkCharacter, maskIdNumber, parseIdNumber } from '../../shared/id-number.js';

const TODAY = '2026-11-24';
const valid = (first17: string) => first17 + checkCharacter(first17);

describe('GB 11643 resident ID numbers', () => {
  it('accepts the standard example and derives birth date and gender', () => {
    // The example from GB 11643-1999 itself.
    const r = parseIdNumber('11010519491231002X', TODAY);
    expect(r).toEqual({ ok: true, facts: { normalized: '11010519491231002X', areaCode: '110105', birthDate: '1949-12-31', gender: 'female', masked: '110105********002X' } });
  });

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('44052418800101001')).toBe('4');
  });

  it('treats a lower-case x as X and trims spaces', () => {
    const r = parseIdNumber(' 11010519491231002x ', TODAY);
    expect(r.ok && r.facts.normalized).toBe('11010519491231002X');
  });

  it('reads an odd sequence digit as male', () => {
    const r = parseIdNumber(valid('41132719450312001'), TODAY);
    expect(r.ok && r.facts.gender).toBe('male');
  });

  it.each([
    ['too short', '4113271945031200', 'must be 18 characters'],
    ['letters inside', '41132719450312A01X', 'must be 18 characters'],
    ['unknown province', valid('99132719450312001'), 'area code'],
    ['30 February', valid('41132719450230001'), 'not a real date'],
    ['month 13', valid('41132719451301001'), 'not a real date'],
    ['born tomorrow', valid('41132720261125001'), 'in the future'],
  ])('rejects %s', (_name, input, reason) => {
    const r = parseIdNumber(input, TODAY);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  it('rejects a wrong check character', () => {
    const good = valid('41132719450312001');
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    expect(parseIdNumber(bad, TODAY)).toEqual({ ok: false, reason: 'check character does not match' });
  });

  it('masks all but the area code and the last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});
