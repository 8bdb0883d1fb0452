import { describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth/principal.js';
import { ageOn, cstDate, cstIso } from '../../shared/time.js';
import { elderAccess, fullView, minimalView, type Elder } from '../../functions/registry/domain/elder.js';

const elder: Elder = {
  id: 'eld_1', county: '411327', township: '411327101', name: '王秀英', phone: '13800000000', birthDate: '1946-11-25', gender: 'female',
  idNumberMasked: '411327********0012', idFingerprint: 'fp', idSealed: 'sealed', categories: ['dibao', 'living_alone'], capabilityLevel: 2,
  dietaryNeeds: ['soft'], status: 'active', registeredAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
};
const p = (x: Partial<Principal> & Pick<Principal, 'role'>): Principal => ({ sub: 's', county: '411327', ...x });

describe('China Standard Time', () => {
  it('counts 23:30 UTC as the next day', () => {
    expect(cstDate(new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02');
    expect(cstDate(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(cstIso(new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02T07:30:00.000+08:00');
  });

  it('computes age in whole years, birthday included', () => {
    expect(ageOn('1946-11-25', '2026-11-24')).toBe(79);
    expect(ageOn('1946-11-25', '2026-11-25')).toBe(80);
    expect(ageOn('1948-02-29', '2026-02-28')).toBe(77);
  });
});

describe('who sees which view of an elder', () => {
  it.each([
    ['county staff', p({ role: 'staff' }), false, 'full'],
    ['staff of the elder\'s township', p({ role: 'staff', township: '411327101' }), false, 'full'],
    ['staff of another township', p({ role: 'staff', township: '411327102' }), false, 'none'],
    ['staff of another county', p({ role: 'staff', county: '411328' }), false, 'none'],
    ['linked family', p({ role: 'family' }), true, 'full'],
    ['unlinked family', p({ role: 'family' }), false, 'none'],
    ['meal site of the county', p({ role: 'site', site: 'x' }), false, 'minimal'],
    ['meal site of another county', p({ role: 'site', site: 'x', county: '411328' }), false, 'none'],
    ['institution', p({ role: 'institution', institution: 'i' }), false, 'minimal'],
    ['platform', p({ role: 'platform' }), false, 'none'],
  ] as const)('%s', (_n, principal, linked, expected) => {
    expect(elderAccess(principal, elder, linked)).toBe(expected);
  });

  it('the minimal view leaves out phone, categories and capability', () => {
    const v = minimalView(elder, '2026-11-24');
    expect(Object.keys(v).sort()).toEqual(['age', 'dietaryNeeds', 'gender', 'id', 'idNumberMasked', 'name', 'status', 'township']);
  });

  it('no view carries the fingerprint or the sealed ID number', () => {
    for (const v of [fullView(elder, '2026-11-24'), minimalView(elder, '2026-11-24')]) {
      expect(JSON.stringify(v)).not.toMatch(/idFingerprint|idSealed|sealed/);
    }
  });
});
