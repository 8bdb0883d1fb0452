import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { toApiClaims, type ClaimMap } from '#shared/auth/claims.js';
import { claimList } from '#shared/auth/principal.js';
import { realmRoles, type Realm } from '#shared/auth/realms.js';
import { claimNames, roles, type Role } from '#shared/auth/roles.js';

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

const bearer = (authorization: string | undefined) => /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? '')?.[1];

const remoteKeys = (jwksUri: string): JWTVerifyGetKey => createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 30_000, timeoutDuration: 3_000 });

/**
 * A verifier of bearer tokens from one issuer, built on jose (a kept library): signature by a
 * key of the issuer's key set (fetched once and kept; an unknown `kid`, as after the issuer
 * rotates its keys, fetches it again, at most every 30 s), `iss`, `aud`, `exp` and `nbf` with 60 s
 * of clock tolerance, and `sub` present. The payload comes back in the API's claim names.
 * `keys` replaces the remote key set (tests).
 */
export function createVerifier(settings: IssuerSettings, keys: JWTVerifyGetKey = remoteKeys(settings.jwksUri)) {
  return async (authorization: string | undefined): Promise<Verdict> => {
    const token = bearer(authorization);
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

/** One realm's issuer (shared/auth/realms.ts) and, for tests, its key set. */
export interface RealmIssuer extends IssuerSettings {
  readonly realm: Realm;
  readonly keys?: JWTVerifyGetKey;
}

/**
 * A verifier for the two realms' issuers, each trusted ONLY for its own roles: a token of the
 * public issuer (families, meal-site devices) that claims `staff` or `institution` is refused,
 * and so is a staff-issuer token claiming `family`, `site` or `platform`; an administrator of one
 * provider can't grant the other's roles. The token's unverified `iss` only picks the verifier;
 * that verifier then checks `iss` again with the signature, so a forged `iss` gains nothing.
 * Roles the API doesn't know (Keycloak's `offline_access`) are ignored here, and a token with no
 * known role passes to the functions, which refuse it (principalFromClaims).
 *
 * @returns a Verdict; on success the claims also carry `realm` (public | staff), for the access log.
 */
export function createRealmVerifier(issuers: readonly RealmIssuer[]) {
  const seen = new Set<string>();
  for (const i of issuers) {
    if (seen.has(i.issuer)) throw new Error(`The staff and public realms need separate issuers; ${i.issuer} is given twice`);
    seen.add(i.issuer);
  }
  const verifiers = new Map(issuers.map((i) => [i.issuer, { realm: i.realm, verify: createVerifier(i, i.keys ?? remoteKeys(i.jwksUri)) }]));
  return async (authorization: string | undefined): Promise<Verdict> => {
    const token = bearer(authorization);
    if (!token) return { ok: false, reason: 'no bearer token' };
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      return { ok: false, reason: 'ERR_JWT_INVALID' };
    }
    const chosen = typeof iss === 'string' ? verifiers.get(iss) : undefined;
    if (!chosen) return { ok: false, reason: 'unknown issuer' };
    const verdict = await chosen.verify(authorization);
    if (!verdict.ok) return verdict;
    const allowed: readonly Role[] = realmRoles[chosen.realm];
    const foreign = claimList(verdict.claims[claimNames.groups]).filter((r): r is Role => (roles as readonly string[]).includes(r) && !allowed.includes(r as Role));
    if (foreign.length) return { ok: false, reason: `the ${chosen.realm} issuer may not grant role ${foreign.join(', ')}` };
    return { ok: true, claims: { ...verdict.claims, realm: chosen.realm } };
  };
}
