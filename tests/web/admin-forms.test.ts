import { describe, expect, it } from 'vitest';
import { elderPatchOf, fenOf, searchKind, sitePatchOf, type ElderFormState } from '../../web/src/admin-forms.js';
import { ApiError } from '../../web/src/api.js';
import { belowBookedSentences } from '../../web/src/pages/staff/sites.js';
import { checkCharacter } from '../../shared/id-number.js';

const today = '2026-12-01';
/** A valid ID number (area 411327, born 1948-03-12), the check character computed by the server's own rule. */
const newIdNumber = (seq = '123') => `41132719480312${seq}` + checkCharacter(`41132719480312${seq}`);

describe('the staff search box', () => {
  it('sends a valid full ID number to lookup (the body), never as q', () => {
    const id = newIdNumber();
    expect(searchKind(` ${id} `, today)).toEqual({ by: 'idNumber', idNumber: id });
    // An ID number ending in x (lower case) is sent upper case, still in the body
    const x = Array.from({ length: 1000 }, (_, i) => newIdNumber(String(i).padStart(3, '0'))).find((n) => n.endsWith('X'))!;
    expect(searchKind(x.toLowerCase(), today)).toEqual({ by: 'idNumber', idNumber: x });
  });

  it('says a mistyped ID number on the page instead of searching for it', () => {
    const id = newIdNumber();
    const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    expect(searchKind(wrong, today)).toEqual({ by: 'badIdNumber', reason: 'check character does not match' });
  });

  it('reads full-width digits and grouped digits as the ID number they are, and never sends anything ID-shaped as q', () => {
    const id = newIdNumber();
    const fullWidth = [...id].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    expect(searchKind(fullWidth, today)).toEqual({ by: 'idNumber', idNumber: id });
    expect(searchKind(`${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`, today)).toEqual({ by: 'idNumber', idNumber: id });
    for (const shaped of [id.slice(0, 17), '411327370411002', `${id}1`, id.slice(0, 16)]) {
      expect(searchKind(shaped, today).by, shaped).toBe('badIdNumber');
    }
  });

  it('searches card numbers in capitals, as they are stored', () => {
    expect(searchKind('sq100001', today)).toEqual({ by: 'q', q: 'SQ100001' });
  });

  it('sends names and card numbers as q, and nothing for an empty box', () => {
    expect(searchKind('王秀', today)).toEqual({ by: 'q', q: '王秀' });
    expect(searchKind('CARD-0007', today)).toEqual({ by: 'q', q: 'CARD-0007' });
    expect(searchKind('   ', today)).toEqual({ by: 'none' });
  });
});

const loaded: ElderFormState = { phone: '13800000000', address: '', village: '', cardNo: 'CARD-1', capabilityLevel: '', categories: ['living_alone'], dietaryNeeds: [] };

describe('the elder edit form', () => {
  it('sends only what changed; an emptied field is cleared with null', () => {
    const r = elderPatchOf(loaded, { ...loaded, phone: '0377-1234567', cardNo: '', capabilityLevel: '2', dietaryNeeds: ['soft'] });
    expect(r).toEqual({ ok: true, body: { phone: '0377-1234567', cardNo: null, capabilityLevel: 2, dietaryNeeds: ['soft'] } });
  });

  it('finds the same categories in another order unchanged, and says when nothing changed', () => {
    const before = { ...loaded, categories: ['living_alone', 'dibao'] };
    expect(elderPatchOf(before, { ...before, categories: ['dibao', 'living_alone'] })).toEqual({ ok: false, problems: {}, unchanged: true });
  });

  it('refuses with the API schema\'s rules, by field', () => {
    const r = elderPatchOf(loaded, { ...loaded, phone: '138-abc', village: '12345', cardNo: 'x' });
    expect(r).toEqual({ ok: false, problems: { phone: 'invalid', village: 'invalid', cardNo: 'invalid' } });
  });
});

const site = {
  id: 's1', county: '411327', township: '411327101', kind: 'canteen' as const, name: '城关镇长者食堂', address: '人民路 1 号', delivery: true, status: 'active' as const,
  slots: { lunch: { capacity: 100, priceFen: 1500, cutoff: '10:00' } }, createdAt: '2026-12-01T00:00:00+08:00', updatedAt: '2026-12-01T00:00:00+08:00',
};

describe('the meal site edit form', () => {
  it('reads yuan as fen exactly', () => {
    expect(fenOf('12.5')).toBe(1250);
    expect(fenOf('0.07')).toBe(7);
    expect(fenOf('15')).toBe(1500);
    expect(fenOf('1.234')).toBeNaN();
    expect(fenOf('-1')).toBeNaN();
  });

  it('sends a slot\'s changed field only', () => {
    expect(sitePatchOf(site, { name: site.name, address: site.address, slots: { lunch: { capacity: '80', price: '15.00' } } })).toEqual({ ok: true, body: { slots: { lunch: { capacity: 80 } } } });
    expect(sitePatchOf(site, { name: site.name, address: site.address, slots: { lunch: { capacity: '100', price: '15.00' } } })).toEqual({ ok: false, problems: {}, unchanged: true });
  });

  it('refuses a price over 1000 yuan, a zero capacity and an empty name, by field', () => {
    expect(sitePatchOf(site, { name: ' ', address: site.address, slots: { lunch: { capacity: '0', price: '1000.01' } } })).toEqual({ ok: false, problems: { name: 'invalid', 'lunch.capacity': 'invalid', 'lunch.price': 'invalid' } });
  });

  it('says CAPACITY_BELOW_BOOKED\'s details as sentences', () => {
    const e = new ApiError('CAPACITY_BELOW_BOOKED', 409, [{ path: 'slots.lunch.capacity', message: '5 seats already booked on 2026-12-03', date: '2026-12-03', slot: 'lunch', booked: 5 }]);
    expect(belowBookedSentences(e)).toEqual(['12月3日（周四）的午餐已有5人预订，座位数不能少于5。']);
    expect(belowBookedSentences(new ApiError('NOT_FOUND', 404))).toEqual([]);
  });
});
