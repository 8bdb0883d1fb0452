import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_STAFF_AUDIENCE, LOCAL_STAFF_ISSUER, signToken } from '../../scripts/local/keys.js';
import { writeLocalAccounts } from '../../scripts/local/oidc.js';
import { api, countyFixture } from '../support/api.js';

/**
 * The local OIDC provider the web pages sign in with: discovery, the authorization code flow
 * with PKCE (S256), single-use codes, and ID tokens the API accepts as it accepts CLI tokens.
 */
let fx: Awaited<ReturnType<typeof countyFixture>>;
let elderId: string;
const base = () => inject('apiUrl');
const redirectUri = () => `${base()}/auth/callback`;
const account = () => `oidc-fam-${fx.county}`;
const staffAccount = () => `oidc-staff-${fx.county}`;

beforeAll(async () => {
  fx = await countyFixture();
  elderId = (await fx.register()).id;
  await api('POST', `/v1/elders/${elderId}/family-links`, { token: fx.staff, body: { familySub: account(), relation: 'child' } });
  writeLocalAccounts(inject('localDir'), `oidc-test-${fx.county}`, [
    { id: account(), label: '家属（测试）', claims: { role: 'family', sub: account(), county: fx.county } },
    { id: staffAccount(), label: '县民政局（测试）', claims: { role: 'staff', sub: staffAccount(), county: fx.county } },
  ]);
});

const pkce = () => {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const authorizeParams = (challenge: string, over: Record<string, string> = {}) => ({
  client_id: LOCAL_AUDIENCE, redirect_uri: redirectUri(), response_type: 'code', scope: 'openid', state: 'st-1', nonce: 'n-1',
  code_challenge: challenge, code_challenge_method: 'S256', ...over,
});
const form = (data: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(data).toString(), redirect: 'manual' as const });

/** Chooses the account on the sign-in page: the provider redirects back with a code. */
async function codeFor(challenge: string): Promise<{ code: string; state: string | null; cookie: string }> {
  const r = await fetch(`${base()}/oauth2/authorize`, form({ ...authorizeParams(challenge), account: account() }));
  expect(r.status).toBe(303);
  const to = new URL(r.headers.get('location')!);
  expect(`${to.origin}${to.pathname}`).toBe(redirectUri());
  return { code: to.searchParams.get('code')!, state: to.searchParams.get('state'), cookie: r.headers.get('set-cookie')!.split(';')[0]! };
}
const exchange = (code: string, verifier: string, over: Record<string, string> = {}) =>
  fetch(`${base()}/oauth2/token`, form({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: LOCAL_AUDIENCE, redirect_uri: redirectUri(), ...over }));

describe('the local OIDC provider', () => {
  it('publishes discovery: its fixed issuer, endpoints on the caller\'s origin, S256 only', async () => {
    const d = await (await fetch(`${base()}/.well-known/openid-configuration`)).json();
    expect(d).toMatchObject({
      issuer: LOCAL_ISSUER,
      authorization_endpoint: `${base()}/oauth2/authorize`,
      token_endpoint: `${base()}/oauth2/token`,
      jwks_uri: `${base()}/.well-known/jwks.json`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
    const config = await (await fetch(`${base()}/config.json`)).json();
    expect(config.oidc).toEqual({
      public: { authority: base(), clientId: LOCAL_AUDIENCE, redirectUri: redirectUri(), postLogoutRedirectUri: `${base()}/`, scope: 'openid' },
      staff: { authority: `${base()}/oidc-staff`, clientId: LOCAL_STAFF_AUDIENCE, redirectUri: redirectUri(), postLogoutRedirectUri: `${base()}/`, scope: 'openid' },
    });
  });

  it('lists the accounts as buttons, and refuses requests without PKCE, for another client or another redirect', async () => {
    const { challenge } = pkce();
    const page = await fetch(`${base()}/oauth2/authorize?${new URLSearchParams(authorizeParams(challenge))}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`value="${account()}"`);
    for (const bad of [{ code_challenge_method: 'plain' }, { code_challenge: '' }, { client_id: 'someone-else' }, { redirect_uri: 'https://evil.example/cb' }, { response_type: 'token' }, { scope: 'profile' }] as Record<string, string>[]) {
      const r = await fetch(`${base()}/oauth2/authorize?${new URLSearchParams(authorizeParams(challenge, bad))}`);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('exchanges a code with the right verifier for ID tokens the API accepts, once', async () => {
    const { verifier, challenge } = pkce();
    const { code, state } = await codeFor(challenge);
    expect(state).toBe('st-1');
    const r = await exchange(code, verifier);
    expect(r.status).toBe(200);
    const tokens = await r.json();
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = decodeJwt(tokens.id_token);
    expect(claims).toMatchObject({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub: account(), nonce: 'n-1', token_use: 'id', 'cognito:groups': ['family'], 'custom:county': fx.county });
    const mine = await api('GET', '/v1/me/elders', { token: tokens.id_token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((e: { id: string }) => e.id)).toEqual([elderId]);
    // The same code again: refused.
    expect((await exchange(code, verifier)).status).toBe(400);
  });

  it('refuses a wrong verifier, and the code is gone after that attempt too', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor(challenge);
    const wrong = await exchange(code, pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange(code, verifier)).status).toBe(400);
  });

  it('refuses a code sent with another redirect_uri or client, and an unknown code', async () => {
    const { verifier, challenge } = pkce();
    expect((await exchange((await codeFor(challenge)).code, verifier, { redirect_uri: `${base()}/elsewhere` })).status).toBe(400);
    expect((await exchange((await codeFor(challenge)).code, verifier, { client_id: 'other' })).status).toBe(400);
    expect((await exchange('not-a-code', verifier)).status).toBe(400);
  });

  it('remembers who signed in (a session cookie): the next authorize request returns at once; /logout forgets it', async () => {
    const { challenge } = pkce();
    const { cookie } = await codeFor(challenge);
    const again = await fetch(`${base()}/oauth2/authorize?${new URLSearchParams(authorizeParams(challenge))}`, { headers: { cookie }, redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(new URL(again.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    const out = await fetch(`${base()}/logout?post_logout_redirect_uri=${encodeURIComponent(`${base()}/`)}`, { headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe(`${base()}/`);
    expect((await fetch(`${base()}/oauth2/authorize?${new URLSearchParams(authorizeParams(challenge))}`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
    // Never back to another site.
    const away = await fetch(`${base()}/logout?post_logout_redirect_uri=${encodeURIComponent('//evil.example/')}`, { redirect: 'manual' });
    expect(away.headers.get('location')).toBe('/');
  });

  it('serves the pages with their security headers, index.html for page routes only, never for /v1', async () => {
    const page = await fetch(`${base()}/family/elders/eld_x`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<div id="app">');
    expect((await fetch(`${base()}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base()}/v1/no-such-route`)).status).toBe(404);
    expect((await fetch(`${base()}/%2e%2e/package.json`)).status).toBe(404);
  });
});

// Issue 15, point 3: staff sign in at a realm of their own, under /oidc-staff.
describe('the local staff realm', () => {
  const staffParams = (challenge: string) => new URLSearchParams({ ...authorizeParams(challenge), client_id: LOCAL_STAFF_AUDIENCE });

  it('has its own issuer, endpoints and key set', async () => {
    const d = await (await fetch(`${base()}/oidc-staff/.well-known/openid-configuration`)).json();
    expect(d).toMatchObject({ issuer: LOCAL_STAFF_ISSUER, authorization_endpoint: `${base()}/oidc-staff/oauth2/authorize`, token_endpoint: `${base()}/oidc-staff/oauth2/token`, jwks_uri: `${base()}/oidc-staff/.well-known/jwks.json` });
    const staffKeys = await (await fetch(d.jwks_uri)).json();
    const publicKeys = (await api('GET', '/.well-known/jwks.json')).body;
    expect(staffKeys.keys[0].kid).not.toBe(publicKeys.keys[0].kid);
    expect(staffKeys.keys[0].d).toBeUndefined();
  });

  it('lists staff accounts only, says TOTP is not checked here, and refuses the public client or a family account', async () => {
    const { challenge } = pkce();
    const page = await (await fetch(`${base()}/oidc-staff/oauth2/authorize?${staffParams(challenge)}`)).text();
    expect(page).toContain(`value="${staffAccount()}"`);
    expect(page).not.toContain(`value="${account()}"`);
    expect(page).toContain('本机演示不校验动态验证码');
    expect((await fetch(`${base()}/oidc-staff/oauth2/authorize?${new URLSearchParams(authorizeParams(challenge))}`)).status).toBe(400);
    const family = await fetch(`${base()}/oidc-staff/oauth2/authorize`, form({ ...Object.fromEntries(staffParams(challenge)), account: account() }));
    expect(family.status).toBe(400);
    // Nor is a staff account offered by the public realm.
    const publicPage = await (await fetch(`${base()}/oauth2/authorize?${new URLSearchParams(authorizeParams(challenge))}`)).text();
    expect(publicPage).not.toContain(`value="${staffAccount()}"`);
    expect((await fetch(`${base()}/oauth2/authorize`, form({ ...authorizeParams(challenge), account: staffAccount() }))).status).toBe(400);
  });

  it('issues staff-realm tokens the API accepts; its codes are redeemed at its own token endpoint only', async () => {
    const { verifier, challenge } = pkce();
    const chosen = await fetch(`${base()}/oidc-staff/oauth2/authorize`, form({ ...Object.fromEntries(staffParams(challenge)), account: staffAccount() }));
    expect(chosen.status).toBe(303);
    const code = new URL(chosen.headers.get('location')!).searchParams.get('code')!;
    // At the public realm's endpoint: refused, and the code is spent.
    expect((await exchange(code, verifier, { client_id: LOCAL_STAFF_AUDIENCE })).status).toBe(400);
    const again = await fetch(`${base()}/oidc-staff/oauth2/authorize`, form({ ...Object.fromEntries(staffParams(challenge)), account: staffAccount() }));
    const code2 = new URL(again.headers.get('location')!).searchParams.get('code')!;
    const r = await fetch(`${base()}/oidc-staff/oauth2/token`, form({ grant_type: 'authorization_code', code: code2, code_verifier: verifier, client_id: LOCAL_STAFF_AUDIENCE, redirect_uri: redirectUri() }));
    expect(r.status).toBe(200);
    const { id_token } = await r.json();
    expect(decodeJwt(id_token)).toMatchObject({ iss: LOCAL_STAFF_ISSUER, aud: LOCAL_STAFF_AUDIENCE, 'cognito:groups': ['staff'] });
    expect((await api('GET', `/v1/elders/${elderId}`, { token: id_token })).status).toBe(200);
  });

  it('the API refuses a token whose issuer grants a role of the other realm (401, the reason in www-authenticate)', async () => {
    const dir = inject('localDir');
    const publicStaff = await signToken(dir, { role: 'staff', county: fx.county, realm: 'public' });
    const staffFamily = await signToken(dir, { role: 'family', sub: account(), county: fx.county, realm: 'staff' });
    const r1 = await api('GET', `/v1/elders/${elderId}`, { token: publicStaff });
    expect(r1.status).toBe(401);
    expect(r1.headers.get('www-authenticate')).toContain('the public issuer may not grant role staff');
    const r2 = await api('GET', '/v1/me/elders', { token: staffFamily });
    expect(r2.status).toBe(401);
    expect(r2.headers.get('www-authenticate')).toContain('the staff issuer may not grant role family');
    // The same claims from the right realms are fine.
    expect((await api('GET', `/v1/elders/${elderId}`, { token: await signToken(dir, { role: 'staff', county: fx.county }) })).status).toBe(200);
  });
});
