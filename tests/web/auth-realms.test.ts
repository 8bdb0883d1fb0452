// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentRealm, initAuth, loadConfig, type RuntimeConfig, user } from '../../web/src/auth.js';

// Issue 15, point 3: two sign-in realms; the page keeps the one chosen on the device.
const client = (authority: string, clientId: string) => ({ authority, clientId, redirectUri: 'http://x/auth/callback', postLogoutRedirectUri: 'http://x/', scope: 'openid' });
const config: RuntimeConfig = { oidc: { public: client('http://x', 'pub'), staff: client('http://x/oidc-staff', 'staff') } };
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
/** A stored oidc-client-ts user whose ID token carries these claims, valid for an hour. */
const storedUser = (claims: Record<string, unknown>) => JSON.stringify({ id_token: 'h.p.s', profile: { sub: 'u', 'custom:county': '411327', ...claims }, expires_at: Math.floor(Date.now() / 1000) + 3600 });

describe('the pages\' two sign-in realms (web/src/auth.ts)', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => vi.unstubAllGlobals());

  it('reads both realms from /config.json, keeps them for offline starts, and ignores a kept configuration of the old one-provider shape', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(config)));
    expect(await loadConfig()).toEqual(config);
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('offline'); }));
    expect(await loadConfig()).toEqual(config);
    localStorage.setItem('eldercare.config', JSON.stringify({ oidc: client('http://x', 'pub') }));
    await expect(loadConfig()).rejects.toThrow();
    // Nor is a fresh answer of the old shape taken.
    vi.stubGlobal('fetch', vi.fn(async () => json({ oidc: client('http://x', 'pub') })));
    await expect(loadConfig()).rejects.toThrow();
  });

  it('reads the signed-in user of the realm chosen on this device, public when none was', () => {
    expect(currentRealm()).toBe('public');
    localStorage.setItem('oidc.user:http://x/oidc-staff:staff', storedUser({ 'cognito:groups': ['staff'] }));
    initAuth(config);
    expect(user.value).toBeNull();
    localStorage.setItem('eldercare.signInRealm', 'staff');
    expect(currentRealm()).toBe('staff');
    initAuth(config);
    expect(user.value?.profile['cognito:groups']).toEqual(['staff']);
    localStorage.setItem('eldercare.signInRealm', 'nonsense');
    expect(currentRealm()).toBe('public');
  });
});
