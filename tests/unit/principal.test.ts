import { describe, expect, it } from 'vitest';
import { claimList, principalFromClaims } from '../../shared/auth/principal.js';

describe('principal from JWT claims', () => {
  it('reads API Gateway\'s stringified array claims', () => {
    expect(claimList('[staff]')).toEqual(['staff']);
    expect(claimList('[staff family]')).toEqual(['staff', 'family']);
    expect(claimList(['site'])).toEqual(['site']);
  });

  it('builds a township-scoped staff principal', () => {
    expect(principalFromClaims({ sub: 'u1', 'cognito:groups': '[staff]', 'custom:county': '411327', 'custom:township': '411327101' })).toEqual({
      sub: 'u1', role: 'staff', county: '411327', township: '411327101',
    });
  });

  it.each([
    ['no subject', { 'cognito:groups': '[staff]', 'custom:county': '411327' }, 'subject'],
    ['no role', { sub: 'u', 'custom:county': '411327' }, 'exactly one role'],
    ['two roles', { sub: 'u', 'cognito:groups': '[staff family]', 'custom:county': '411327' }, 'exactly one role'],
    ['unknown role only', { sub: 'u', 'cognito:groups': '[admin]', 'custom:county': '411327' }, 'exactly one role'],
    ['no county', { sub: 'u', 'cognito:groups': '[staff]' }, 'county'],
    ['township of another county', { sub: 'u', 'cognito:groups': '[staff]', 'custom:county': '411327', 'custom:township': '411328101' }, 'not in its county'],
    ['site token without site', { sub: 'u', 'cognito:groups': '[site]', 'custom:county': '411327' }, 'names no site'],
    ['institution token without institution', { sub: 'u', 'cognito:groups': '[institution]', 'custom:county': '411327' }, 'names no institution'],
  ])('refuses a token with %s', (_n, claims, reason) => {
    const p = principalFromClaims(claims);
    expect('error' in p && p.error).toContain(reason);
  });
});
