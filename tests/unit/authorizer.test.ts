import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealmVerifier, createVerifier, type IssuerSettings, type RealmIssuer } from '../../functions/authorizer/verify.js';
import { cognitoClaims } from '../../shared/auth/claims.js';
import { principalFromClaims } from '../../shared/auth/principal.js';

// Issue 15, point 1: the Lambda authorizer for an OIDC issuer other than Cognito, against a
// local key set served over HTTP (as a Keycloak or a province's platform serves its jwks_uri).
const issuer = 'https://sso.example.gov.cn/realms/county';
const audience = 'eldercare-web';
let server: Server;
let jwksUri: string;
const served: JWK[] = [];
let fetches = 0;
const keyA = await generateKeyPair('RS256', { extractable: true });
const keyB = await generateKeyPair('ES256', { extractable: true });

beforeAll(async () => {
  served.push({ ...(await exportJWK(keyA.publicKey)), kid: 'a', alg: 'RS256', use: 'sig' });
  server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const keycloak = (): IssuerSettings => ({ issuer, audience: [audience, 'eldercare-counter'], jwksUri, claims: { roles: 'realm_access.roles', county: 'county', township: 'township', site: 'site', institution: 'institution' } });
const staffClaims = { realm_access: { roles: ['staff', 'offline_access'] }, county: '411328', township: '411328100' };

async function token(opts: { key?: CryptoKey; kid?: string; alg?: string; iss?: string; aud?: string; exp?: number | string; sub?: string | null; claims?: Record<string, unknown> } = {}) {
  const jwt = new SignJWT({ ...staffClaims, ...opts.claims })
    .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? 'a' })
    .setIssuer(opts.iss ?? issuer)
    .setAudience(opts.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m');
  if (opts.sub !== null) jwt.setSubject(opts.sub ?? 'u-1');
  return `Bearer ${await jwt.sign(opts.key ?? keyA.privateKey)}`;
}

describe('the Lambda authorizer\'s verifier', () => {
  const verify = () => createVerifier(keycloak());

  it('accepts a good token and hands its claims over in the API\'s names, which give the principal', async () => {
    const v = await verify()(await token());
    expect(v).toEqual({ ok: true, claims: { sub: 'u-1', 'cognito:groups': '[staff offline_access]', 'custom:county': '411328', 'custom:township': '411328100' } });
    expect(v.ok && principalFromClaims(v.claims)).toEqual({ sub: 'u-1', role: 'staff', county: '411328', township: '411328100' });
  });

  it.each([
    ['expired (beyond the 60 s tolerance)', { exp: Math.floor(Date.now() / 1000) - 120 }, 'ERR_JWT_EXPIRED'],
    ['from another issuer', { iss: 'https://evil.example.com/realms/county' }, 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    ['for another client', { aud: 'some-other-app' }, 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    ['without a subject', { sub: null }, 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    ['signed by a key not in the issuer\'s set', { key: keyB.privateKey, kid: 'zz', alg: 'ES256' }, 'ERR_JWKS_NO_MATCHING_KEY'],
  ])('refuses a token %s', async (_, opts, code) => {
    expect(await verify()(await token(opts))).toEqual({ ok: false, reason: code });
  });

  it('refuses alg "none" and an HMAC token made with the public key as its secret', async () => {
    const body = base64url.encode(JSON.stringify({ ...staffClaims, iss: issuer, aud: audience, sub: 'u-1', exp: Math.floor(Date.now() / 1000) + 300 }));
    const none = `Bearer ${base64url.encode(JSON.stringify({ alg: 'none', kid: 'a' }))}.${body}.`;
    expect((await verify()(none)).ok).toBe(false);
    const pem = new TextEncoder().encode(JSON.stringify(served[0]));
    const hs = await new SignJWT({ ...staffClaims }).setProtectedHeader({ alg: 'HS256', kid: 'a' }).setIssuer(issuer).setAudience(audience).setSubject('u-1').setExpirationTime('5m').sign(pem);
    expect(await verify()(`Bearer ${hs}`)).toEqual({ ok: false, reason: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it.each([undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', 'Bearer a.b'])('refuses %j as no bearer token', async (header) => {
    expect(await verify()(header)).toEqual({ ok: false, reason: 'no bearer token' });
  });

  it('follows a key rotation: a token under a new kid fetches the key set again, once', async () => {
    // The set as the verifier makes it, but without the 30 s cool-down between fetches.
    const v = createVerifier(keycloak(), createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 0 }));
    expect((await v(await token())).ok).toBe(true);
    const before = fetches;
    // The issuer publishes key b beside a (rotation), then signs with b.
    served.push({ ...(await exportJWK(keyB.publicKey)), kid: 'b', alg: 'ES256', use: 'sig' });
    const rotated = await token({ key: keyB.privateKey, kid: 'b', alg: 'ES256' });
    expect((await v(rotated)).ok).toBe(true);
    expect(fetches).toBe(before + 1);
    // Known keys are not fetched again.
    expect((await v(await token())).ok).toBe(true);
    expect((await v(rotated)).ok).toBe(true);
    expect(fetches).toBe(before + 1);
    served.pop();
  });

  it('reads Cognito\'s names by default', async () => {
    const v = createVerifier({ ...keycloak(), claims: cognitoClaims });
    const t = await token({ claims: { 'cognito:groups': ['site'], 'custom:county': '411328', 'custom:site': 'S1', realm_access: undefined } });
    const out = await v(t);
    expect(out.ok && principalFromClaims(out.claims)).toEqual({ sub: 'u-1', role: 'site', county: '411328', site: 'S1' });
  });
});

// Issue 15, point 3: staff sign in at an issuer of their own (MFA required there); each issuer
// is trusted for its own roles only. Two issuers, two local key sets.
describe('the two realms\' verifier', () => {
  const staffIssuer = 'https://sso.example.gov.cn/realms/staff';
  const publicIssuer = 'https://sso.example.gov.cn/realms/public';
  const staffKey = keyA;
  const publicKey = keyB;
  const realmIssuers = async (): Promise<RealmIssuer[]> => [
    { realm: 'staff', issuer: staffIssuer, audience: ['eldercare-staff-web'], jwksUri: 'https://unused.invalid/staff', claims: keycloak().claims,
      keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(staffKey.publicKey)), kid: 's1', alg: 'RS256' }] }) },
    { realm: 'public', issuer: publicIssuer, audience: ['eldercare-web'], jwksUri: 'https://unused.invalid/public', claims: keycloak().claims,
      keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey.publicKey)), kid: 'p1', alg: 'ES256' }] }) },
  ];
  const staffToken = (roles: string[], extra: Record<string, unknown> = {}) =>
    token({ key: staffKey.privateKey, kid: 's1', alg: 'RS256', iss: staffIssuer, aud: 'eldercare-staff-web', claims: { realm_access: { roles }, institution: 'I1', ...extra } });
  const publicToken = (roles: string[], extra: Record<string, unknown> = {}) =>
    token({ key: publicKey.privateKey, kid: 'p1', alg: 'ES256', iss: publicIssuer, aud: 'eldercare-web', claims: { realm_access: { roles }, site: 'S1', township: undefined, ...extra } });

  it('takes a staff-issuer token for staff and institution, and says which realm it came from', async () => {
    const verify = createRealmVerifier(await realmIssuers());
    const staff = await verify(await staffToken(['staff']));
    expect(staff.ok && principalFromClaims(staff.claims)).toMatchObject({ role: 'staff', county: '411328', township: '411328100' });
    expect(staff.ok && staff.claims.realm).toBe('staff');
    const institution = await verify(await staffToken(['institution']));
    expect(institution.ok && principalFromClaims(institution.claims)).toMatchObject({ role: 'institution', institution: 'I1' });
  });

  it('takes a public-issuer token for family, site and platform', async () => {
    const verify = createRealmVerifier(await realmIssuers());
    for (const role of ['family', 'site', 'platform']) {
      const v = await verify(await publicToken([role]));
      expect(v.ok && principalFromClaims(v.claims), role).toMatchObject({ role });
      expect(v.ok && v.claims.realm).toBe('public');
    }
  });

  it.each([['staff'], ['institution'], ['family', 'staff']])('refuses a public-issuer token claiming %s', async (...roles) => {
    const verify = createRealmVerifier(await realmIssuers());
    expect(await verify(await publicToken(roles))).toEqual({ ok: false, reason: expect.stringMatching(/^the public issuer may not grant role (staff|institution)/) });
  });

  it.each([['family'], ['site'], ['platform'], ['staff', 'site']])('refuses a staff-issuer token claiming %s', async (...roles) => {
    const verify = createRealmVerifier(await realmIssuers());
    expect(await verify(await staffToken(roles))).toEqual({ ok: false, reason: expect.stringMatching(/^the staff issuer may not grant role (family|site|platform)/) });
  });

  it('ignores roles the API does not know (offline_access) when checking the realm', async () => {
    const verify = createRealmVerifier(await realmIssuers());
    expect((await verify(await staffToken(['staff', 'offline_access', 'uma_authorization']))).ok).toBe(true);
  });

  it('refuses a token whose iss names the staff issuer but which the public key signed, and a third issuer', async () => {
    const verify = createRealmVerifier(await realmIssuers());
    // Claims to be from the staff realm, signed with the public realm's key: the staff key set has no such key.
    const forged = await token({ key: publicKey.privateKey, kid: 'p1', alg: 'ES256', iss: staffIssuer, aud: 'eldercare-staff-web', claims: { realm_access: { roles: ['staff'] } } });
    expect(await verify(forged)).toEqual({ ok: false, reason: 'ERR_JWKS_NO_MATCHING_KEY' });
    // A staff token for the public realm's client: wrong audience at the staff issuer.
    expect(await verify(await token({ key: staffKey.privateKey, kid: 's1', alg: 'RS256', iss: staffIssuer, aud: 'eldercare-web', claims: { realm_access: { roles: ['staff'] } } }))).toEqual({ ok: false, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
    expect(await verify(await token({ iss: 'https://evil.example.com/realms/staff' }))).toEqual({ ok: false, reason: 'unknown issuer' });
    expect(await verify('Bearer not-a-jwt')).toEqual({ ok: false, reason: 'no bearer token' });
  });

  it('refuses one issuer given for both realms', async () => {
    const [staff, pub] = await realmIssuers();
    expect(() => createRealmVerifier([staff!, { ...pub!, issuer: staffIssuer }])).toThrow(/separate issuers/);
  });
});

describe('the authorizer function', () => {
  it('answers isAuthorized with the claims as context, or false; a public-realm token claiming staff is refused', async () => {
    const publicIssuer = 'https://sso.example.gov.cn/realms/public';
    Object.assign(process.env, {
      OIDC_STAFF_ISSUER: issuer, OIDC_STAFF_AUDIENCE: `${audience}, eldercare-counter`, OIDC_STAFF_JWKS_URI: jwksUri, OIDC_STAFF_CLAIM_ROLES: 'realm_access.roles', OIDC_STAFF_CLAIM_COUNTY: 'county', OIDC_STAFF_CLAIM_TOWNSHIP: 'township',
      OIDC_PUBLIC_ISSUER: publicIssuer, OIDC_PUBLIC_AUDIENCE: audience, OIDC_PUBLIC_JWKS_URI: jwksUri, OIDC_PUBLIC_CLAIM_ROLES: 'realm_access.roles', OIDC_PUBLIC_CLAIM_COUNTY: 'county',
    });
    const { handler } = await import('../../functions/authorizer/lambda.js');
    const event = (authorization: string) => ({ headers: { authorization }, identitySource: [authorization], routeKey: 'GET /v1/occupancy' }) as never;
    expect(await handler(event(await token({ aud: 'eldercare-counter' })))).toEqual({ isAuthorized: true, context: { sub: 'u-1', 'cognito:groups': '[staff offline_access]', 'custom:county': '411328', 'custom:township': '411328100', realm: 'staff' } });
    expect(await handler(event(await token({ aud: 'nobody' })))).toEqual({ isAuthorized: false });
    // The same key set serves both here: only the issuer differs, and the public one may not grant staff.
    expect(await handler(event(await token({ iss: publicIssuer })))).toEqual({ isAuthorized: false });
    expect(await handler(event(await token({ iss: publicIssuer, claims: { realm_access: { roles: ['family'] } } })))).toMatchObject({ isAuthorized: true, context: { 'cognito:groups': '[family]', realm: 'public' } });
  });
});
