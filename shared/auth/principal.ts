import { claimNames, roles, type Role } from './roles.js';

/** Who is calling, read from the verified JWT claims. No personal data lives here. */
export interface Principal {
  readonly sub: string;
  readonly role: Role;
  readonly county: string;
  /** Set for township-scoped staff. */
  readonly township?: string;
  readonly site?: string;
  readonly institution?: string;
}

export type Claims = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/**
 * API Gateway's HTTP API hands array claims to the function as one string such as
 * "[staff family]"; a plain JWT library gives a real array. Accept both.
 */
export function claimList(value: Claims[string]): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter(Boolean);
}

const COUNTY = /^\d{6}$/;
const TOWNSHIP = /^\d{9}$/;

/**
 * Turns claims into a principal, or returns the reason it can't. A token must name exactly one
 * role and a county; a township claim must lie in that county; site and institution tokens
 * must name their site or institution. Anything else is refused rather than guessed.
 */
export function principalFromClaims(claims: Claims): Principal | { error: string } {
  const sub = claims.sub === undefined ? '' : String(claims.sub);
  if (!sub) return { error: 'token has no subject' };
  const known = claimList(claims[claimNames.groups]).filter((g): g is Role => (roles as readonly string[]).includes(g));
  if (known.length !== 1) return { error: 'token must carry exactly one role' };
  const role = known[0]!;
  const text = (name: string): string | undefined => {
    const v = claims[name];
    return v === undefined || v === '' ? undefined : String(v);
  };
  const county = text(claimNames.county);
  if (!county || !COUNTY.test(county)) return { error: 'token has no valid county' };
  const township = text(claimNames.township);
  if (township !== undefined && (!TOWNSHIP.test(township) || !township.startsWith(county))) {
    return { error: 'token township is not in its county' };
  }
  const site = text(claimNames.site);
  const institution = text(claimNames.institution);
  if (role === 'site' && !site) return { error: 'site token names no site' };
  if (role === 'institution' && !institution) return { error: 'institution token names no institution' };
  return {
    sub,
    role,
    county,
    ...(township && { township }),
    ...(site && { site }),
    ...(institution && { institution }),
  };
}
