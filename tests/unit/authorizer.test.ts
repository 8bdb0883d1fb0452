import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, createRemoteJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, type IssuerSettings } from '../../functions/authorizer/verify.js';
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

describe('the authorizer function', () => {
  it('answers isAuthorized with the claims as context, or false', async () => {
    Object.assign(process.env, { OIDC_ISSUER: issuer, OIDC_AUDIENCE: `${audience}, eldercare-counter`, OIDC_JWKS_URI: jwksUri, CLAIM_ROLES: 'realm_access.roles', CLAIM_COUNTY: 'county', CLAIM_TOWNSHIP: 'township' });
    const { handler } = await import('../../functions/authorizer/lambda.js');
    const event = (authorization: string) => ({ headers: { authorization }, identitySource: [authorization], routeKey: 'GET /v1/occupancy' }) as never;
    expect(await handler(event(await token({ aud: 'eldercare-counter' })))).toEqual({ isAuthorized: true, context: { sub: 'u-1', 'cognito:groups': '[staff offline_access]', 'custom:county': '411328', 'custom:township': '411328100' } });
    expect(await handler(event(await token({ aud: 'nobody' })))).toEqual({ isAuthorized: false });
  });
});
