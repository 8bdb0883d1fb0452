import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors as joseErrors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, createLocalJWKSet, type JWK, type JWTPayload } from 'jose';
import { generateLocalKeys } from '#functions/lib/pii.js';
import { claimNames, type Role } from '#shared/auth/roles.js';

/**
 * The local identity provider: an RS256 key pair kept in the local folder, tokens shaped like
 * Cognito ID tokens (cognito:groups, custom:* attributes, token_use), a JWKS the server
 * publishes, and a verifier that checks what API Gateway's JWT authorizer checks: signature,
 * issuer, audience, expiry and not-before.
 */
export const LOCAL_ISSUER = 'http://localhost/local-idp';
export const LOCAL_AUDIENCE = 'eldercare-local';
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
  const signingKeyFile = join(dir, 'jwt-signing-key.json');
  const piiKeyFile = join(dir, 'pii-keys.json');
  const pageTokenKeyFile = join(dir, 'page-token-key.json');
  const platformSecretFile = join(dir, 'platform-webhook-secret.json');
  // The Standard Webhooks secrets shared with the (local) platform: its webhooks to us, our deliveries to it.
  for (const file of [platformSecretFile, join(dir, 'platform-delivery-secret.json')]) {
    if (!existsSync(file)) write(file, { secret: `whsec_${randomBytes(32).toString('base64')}` });
  }
  if (!existsSync(signingKeyFile)) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = `local-${Date.now().toString(36)}`;
    const key: SigningKey = {
      kid,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    };
    write(signingKeyFile, key);
  }
  if (!existsSync(piiKeyFile)) write(piiKeyFile, generateLocalKeys());
  // Signs list nextTokens (HMAC-SHA256); in AWS the key is derived from a KMS HMAC key.
  if (!existsSync(pageTokenKeyFile)) write(pageTokenKeyFile, { key: randomBytes(32).toString('base64') });
  return { signingKeyFile, piiKeyFile, pageTokenKeyFile, platformSecret: localPlatformSecret(dir), deliverySecret: localPlatformSecret(dir, 'outbound') };
}

export const localPlatformSecret = (dir: string, direction: 'inbound' | 'outbound' = 'inbound'): string =>
  (JSON.parse(readFileSync(join(dir, direction === 'inbound' ? 'platform-webhook-secret.json' : 'platform-delivery-secret.json'), 'utf8')) as { secret: string }).secret;

const readKey = (dir: string): SigningKey => JSON.parse(readFileSync(join(dir, 'jwt-signing-key.json'), 'utf8')) as SigningKey;

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
}

export async function signToken(dir: string, req: TokenRequest): Promise<string> {
  const key = readKey(dir);
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
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(req.sub ?? `${req.role}-demo`)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (req.ttl ?? 12 * 3600))
    .sign(await importJWK(key.privateJwk, 'RS256'));
}

export const localJwks = (dir: string): { keys: JWK[] } => ({ keys: [readKey(dir).publicJwk] });

/**
 * The claims of a token API Gateway's JWT authorizer would accept, or why it would refuse it,
 * in the words of its `www-authenticate` header ("the token does not have a valid audience" is
 * quoted from AWS's troubleshooting guide; the others follow it).
 */
export function localVerifier(dir: string): (token: string) => Promise<{ claims: JWTPayload } | { refused: string }> {
  const jwks = createLocalJWKSet(localJwks(dir));
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['RS256'], requiredClaims: ['exp', 'sub'] });
      return { claims: payload };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { refused: 'the token has expired' };
      if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === 'aud') return { refused: 'the token does not have a valid audience' };
      if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === 'iss') return { refused: 'the token does not have a valid issuer' };
      return { refused: 'the token is not valid' };
    }
  };
}
