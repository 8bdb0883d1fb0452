import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { toApiClaims, type ClaimMap } from '#shared/auth/claims.js';

/** What the API trusts: one OIDC issuer, the client ids its tokens are for, and its claim names. */
export interface IssuerSettings {
  /** The issuer URL exactly as in the tokens' `iss` (https). */
  readonly issuer: string;
  /** Accepted `aud` values (the web client's id, the devices' client id...). */
  readonly audience: readonly string[];
  /** The issuer's key set; default `<issuer>/.well-known/jwks.json` is NOT assumed: give the `jwks_uri` of its discovery document. */
  readonly jwksUri: string;
  readonly claims: ClaimMap;
}

/** Asymmetric algorithms only: `none` and HMAC (a shared secret the API would have to hold) are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384'];

export type Verdict = { ok: true; claims: Record<string, string> } | { ok: false; reason: string };

/**
 * A verifier of bearer tokens from one issuer, built on jose (a kept library): signature by a
 * key of the issuer's key set (fetched once and kept; an unknown `kid`, as after the issuer
 * rotates its keys, fetches it again, at most every 30 s), `iss`, `aud`, `exp` and `nbf` with 60 s
 * of clock tolerance, and `sub` present. The payload comes back in the API's claim names.
 * `keys` replaces the remote key set (tests).
 */
export function createVerifier(settings: IssuerSettings, keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(settings.jwksUri), { cooldownDuration: 30_000, timeoutDuration: 3_000 })) {
  return async (authorization: string | undefined): Promise<Verdict> => {
    const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) return { ok: false, reason: 'no bearer token' };
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: [...settings.audience],
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 60,
      });
      return { ok: true, claims: toApiClaims(payload, settings.claims) };
    } catch (e) {
      // The reason is logged (never the token); the caller only ever sees 401.
      if (e instanceof errors.JOSEError) return { ok: false, reason: e.code };
      throw e;
    }
  };
}
