import { claimNames } from './roles.js';

/**
 * Where an identity provider puts what the API needs. Cognito (the default) puts the role in
 * `cognito:groups` and the area in `custom:*` attributes; a Keycloak realm usually has the roles
 * in `realm_access.roles` and the area in user attributes mapped to plain claims; a province's
 * unified identity platform (统一身份认证) names them as its integration document says. A dotted
 * path reads a nested claim.
 */
export interface ClaimMap {
  readonly roles: string;
  readonly county: string;
  readonly township: string;
  readonly site: string;
  readonly institution: string;
}

/** Cognito's names, which the local provider issues too. */
export const cognitoClaims: ClaimMap = {
  roles: claimNames.groups,
  county: claimNames.county,
  township: claimNames.township,
  site: claimNames.site,
  institution: claimNames.institution,
};

const at = (payload: Readonly<Record<string, unknown>>, path: string): unknown => {
  // A claim whose own name has dots (rare) wins over a nested path.
  if (path in payload) return payload[path];
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), payload);
};

/**
 * A verified token's payload in the API's own claim names (`claimNames`), as flat strings, the
 * shape API Gateway's JWT authorizer hands to functions (a list becomes "[a b]"), so
 * `principalFromClaims` reads every provider the same way. Values that are neither strings,
 * numbers nor lists of those are left out: nothing is guessed.
 *
 * @returns `{ sub, 'cognito:groups', 'custom:county', ... }`, only the names present.
 */
export function toApiClaims(payload: Readonly<Record<string, unknown>>, map: ClaimMap): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') out[name] = String(v);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[name] = `[${v.join(' ')}]`;
  };
  put('sub', payload.sub);
  put(claimNames.groups, at(payload, map.roles));
  put(claimNames.county, at(payload, map.county));
  put(claimNames.township, at(payload, map.township));
  put(claimNames.site, at(payload, map.site));
  put(claimNames.institution, at(payload, map.institution));
  return out;
}
