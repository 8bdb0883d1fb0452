import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/http/errors.js';
import { openPageToken, pagerFor, sealPageToken, type PageScope } from '../../shared/pagination.js';

const key = Buffer.alloc(32, 7);
const scope: PageScope = { list: 'listBeds', county: '411327', filters: { institutionId: 'inst_A', status: 'vacant' } };
const position = { pk: 'INST#inst_A', sk: 'BED#A-101' };

const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AppError && e.code === 'INVALID_PAGE_TOKEN' && e.status === 400 && e.details[0]?.path === 'nextToken';
  }
  return false;
};

describe('page tokens', () => {
  it('give back the position they were sealed with, on the same list, area and filters', () => {
    const token = sealPageToken(key, scope, position);
    expect(openPageToken(key, { ...scope, filters: { status: 'vacant', institutionId: 'inst_A' } }, token)).toEqual(position);
  });

  it('are refused on another list, county, township or filter, with another key, or changed', () => {
    const token = sealPageToken(key, scope, position);
    expect(refused(() => openPageToken(key, { ...scope, list: 'bedLog' }, token))).toBe(true);
    expect(refused(() => openPageToken(key, { ...scope, county: '411328' }, token))).toBe(true);
    expect(refused(() => openPageToken(key, { ...scope, township: '411327101' }, token))).toBe(true);
    expect(refused(() => openPageToken(key, { ...scope, filters: { institutionId: 'inst_B', status: 'vacant' } }, token))).toBe(true);
    expect(refused(() => openPageToken(key, { ...scope, filters: { institutionId: 'inst_A' } }, token))).toBe(true);
    expect(refused(() => openPageToken(Buffer.alloc(32, 8), scope, token))).toBe(true);
    // Another position under the first one's signature.
    const [, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ pk: 'INST#inst_B', sk: 'BED#' })).toString('base64url')}.${signature}`;
    expect(refused(() => openPageToken(key, scope, forged))).toBe(true);
  });

  it('refuse what was never a token: the old plain base64 form, garbage, empty parts', () => {
    for (const t of [Buffer.from('BED#A-101').toString('base64url'), 'x', '.', 'a.b', 'a.b.c', '%%%', '', `${'A'.repeat(40)}.${'B'.repeat(43)}`]) {
      expect(refused(() => openPageToken(key, scope, t)), t).toBe(true);
    }
  });

  it('any change of one character is refused (fast-check)', () => {
    const token = sealPageToken(key, scope, position);
    fc.assert(fc.property(fc.nat(token.length - 1), fc.constantFrom(...'ABCxyz019-_.'), (at, c) => {
      fc.pre(token[at] !== c);
      const changed = token.slice(0, at) + c + token.slice(at + 1);
      // base64url's last character of a part can carry unused bits: a change there may decode
      // to the same bytes, which is no change at all.
      const bytes = (t: string) => t.split('.').map((part) => Buffer.from(part, 'base64url').toString('hex')).join('.');
      fc.pre(bytes(changed) !== bytes(token));
      expect(refused(() => openPageToken(key, scope, changed))).toBe(true);
    }));
  });

  it('a pager replies with a token only when there is a next position', () => {
    const first = pagerFor(key, scope, { limit: 2 });
    expect(first.after).toBeUndefined();
    expect(first.reply({ items: [1, 2] })).toEqual({ items: [1, 2] });
    const { nextToken } = first.reply({ items: [1, 2], next: position });
    expect(pagerFor(key, scope, { limit: 2, nextToken }).after).toEqual(position);
    expect(refused(() => pagerFor(key, { ...scope, list: 'listSites' }, { limit: 2, nextToken }))).toBe(true);
  });
});
