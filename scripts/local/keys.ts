import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, errors as joseErrors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, createLocalJWKSet, type JWK, type JWTPayload } from 'jose';
import { generateLocalKeys } from '#functions/lib/pii.js';
import { realmOf, realmRoles, realms, type Realm } from '#shared/auth/realms.js';
import { claimNames, roles, type Role } from '#shared/auth/roles.js';

/**
 * The local identity provider, in two realms as in AWS (shared/auth/realms.ts): `public`
 * (families, meal-site devices, the platform) and `staff` (staff and institutions). Each realm has
 * its own issuer, client id and RS256 key pair kept in the local folder; tokens are shaped like
 * Cognito ID tokens (cognito:groups, custom:* attributes, token_use); the server publishes each
 * realm's JWKS; and the verifier checks what the stack's authorizer checks: signature, issuer,
 * audience, expiry and not-before, and that the issuer grants only its realm's roles.
 */
export const LOCAL_ISSUER = 'http://localhost/local-idp';
export const LOCAL_AUDIENCE = 'eldercare-local';
export const LOCAL_STAFF_ISSUER = 'http://localhost/local-idp-staff';
export const LOCAL_STAFF_AUDIENCE = 'eldercare-local-staff';
/** Each realm's issuer and client id (the audience of its tokens). */
export const localRealms: Record<Realm, { issuer: string; audience: string; keyFile: string }> = {
  public: { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, keyFile: 'jwt-signing-key.json' },
  staff: { issuer: LOCAL_STAFF_ISSUER, audience: LOCAL_STAFF_AUDIENCE, keyFile: 'jwt-signing-key-staff.json' },
};
import { DEMO_COUNTY } from './demo.js';
export { DEMO_COUNTY };

interface SigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

const write = (file: string, data: unknown) => writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600 });

/** Creates the signing key and the PII key file on first use; later runs reuse them. */
export async function ensureLocalKeys(dir: string): Promise<{ signingKeyFile: string; piiKeyFile: string; pageTokenKeyFile: string; platformSecret: string; deliverySecret: string }> {
  mkdirSync(dir, { recursive: true });
  const signingKeyFile = join(dir, localRealms.public.keyFile);
  const piiKeyFile = join(dir, 'pii-keys.json');
  const pageTokenKeyFile = join(dir, 'page-token-key.json');
  const platformSecretFile = join(dir, 'platform-webhook-secret.json');
  // The Standard Webhooks secrets shared with the (local) platform: its webhooks to us, our deliveries to it.
  for (const file of [platformSecretFile, join(dir, 'platform-delivery-secret.json')]) {
    if (!existsSync(file)) write(file, { secret: `whsec_${randomBytes(32).toString('base64')}` });
  }
  for (const realm of realms) {
    const file = join(dir, localRealms[realm].keyFile);
    if (existsSync(file)) continue;
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = `local-${realm}-${Date.now().toString(36)}`;
    const key: SigningKey = {
      kid,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    };
    write(file, key);
  }
  if (!existsSync(piiKeyFile)) write(piiKeyFile, generateLocalKeys());
  // Signs list nextTokens (HMAC-SHA256); in AWS the key is derived from a KMS HMAC key.
  if (!existsSync(pageTokenKeyFile)) write(pageTokenKeyFile, { key: randomBytes(32).toString('base64') });
  return { signingKeyFile, piiKeyFile, pageTokenKeyFile, platformSecret: localPlatformSecret(dir), deliverySecret: localPlatformSecret(dir, 'outbound') };
}

export const localPlatformSecret = (dir: string, direction: 'inbound' | 'outbound' = 'inbound'): string =>
  (JSON.parse(readFileSync(join(dir, direction === 'inbound' ? 'platform-webhook-secret.json' : 'platform-delivery-secret.json'), 'utf8')) as { secret: string }).secret;

const readKey = (dir: string, realm: Realm = 'public'): SigningKey => JSON.parse(readFileSync(join(dir, localRealms[realm].keyFile), 'utf8')) as SigningKey;

export interface TokenRequest {
  role: Role;
  sub?: string;
  county?: string;
  township?: string;
  site?: string;
  institution?: string;
  /** Overrides the groups claim (tests of malformed tokens). */
  groups?: string[];
  /** Seconds until expiry (default 12 hours). */
  ttl?: number;
  /** The OIDC sign-in's nonce, echoed in the ID token (local OIDC provider). */
  nonce?: string;
  /** 'access' for the access token the OIDC token endpoint hands out beside the ID token. */
  tokenUse?: 'id' | 'access';
  /** The realm whose issuer signs (default: the role's realm); another realm's tests a cross-realm token. */
  realm?: Realm;
}

/** A token of the role's realm (or `req.realm`), signed by that realm's key, for its client. */
export async function signToken(dir: string, req: TokenRequest): Promise<string> {
  const realm = req.realm ?? realmOf(req.role);
  const key = readKey(dir, realm);
  const claims: JWTPayload = {
    [claimNames.groups]: req.groups ?? [req.role],
    [claimNames.county]: req.county ?? DEMO_COUNTY,
    ...(req.township && { [claimNames.township]: req.township }),
    ...(req.site && { [claimNames.site]: req.site }),
    ...(req.institution && { [claimNames.institution]: req.institution }),
    token_use: req.tokenUse ?? 'id',
    ...(req.nonce && { nonce: req.nonce }),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(localRealms[realm].issuer)
    .setAudience(localRealms[realm].audience)
    .setSubject(req.sub ?? `${req.role}-demo`)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (req.ttl ?? 12 * 3600))
    .sign(await importJWK(key.privateJwk, 'RS256'));
}

/** One realm's public keys, as its `jwks_uri` serves them. */
export const localJwks = (dir: string, realm: Realm = 'public'): { keys: JWK[] } => ({ keys: [readKey(dir, realm).publicJwk] });

/**
 * The claims of a token the stack's authorizer would accept, or why it would refuse it, in the
 * words of API Gateway's `www-authenticate` header ("the token does not have a valid audience" is
 * quoted from AWS's troubleshooting guide; the others follow it). As in AWS
 * (functions/authorizer/verify.ts), the token's `iss` picks the realm, and a realm's issuer may
 * grant only that realm's roles.
 */
export function localVerifier(dir: string): (token: string) => Promise<{ claims: JWTPayload } | { refused: string }> {
  const keySets = Object.fromEntries(realms.map((r) => [r, createLocalJWKSet(localJwks(dir, r))])) as Record<Realm, ReturnType<typeof createLocalJWKSet>>;
  return async (token) => {
    let realm: Realm | undefined;
    try {
      const iss = decodeJwt(token).iss;
      realm = realms.find((r) => localRealms[r].issuer === iss);
    } catch {
      return { refused: 'the token is not valid' };
    }
    if (!realm) return { refused: 'the token does not have a valid issuer' };
    try {
      const { payload } = await jwtVerify(token, keySets[realm], { issuer: localRealms[realm].issuer, audience: localRealms[realm].audience, algorithms: ['RS256'], requiredClaims: ['exp', 'sub'] });
      const claimed = [payload[claimNames.groups]].flat().map(String).filter((g) => (roles as readonly string[]).includes(g));
      const foreign = claimed.filter((g) => !(realmRoles[realm] as readonly string[]).includes(g));
      if (foreign.length) return { refused: `the ${realm} issuer may not grant role ${foreign.join(', ')}` };
      return { claims: payload };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { refused: 'the token has expired' };
      if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === 'aud') return { refused: 'the token does not have a valid audience' };
      if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === 'iss') return { refused: 'the token does not have a valid issuer' };
      return { refused: 'the token is not valid' };
    }
  };
}
