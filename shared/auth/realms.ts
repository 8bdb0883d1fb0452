import type { Role } from './roles.js';

/**
 * Two sign-in realms (identity pools, issuers), each trusted for its own roles only:
 * - `staff`: county and township staff and care institutions, who read ID numbers, names and
 *   care levels. Their provider requires a second factor (TOTP) and lets only an administrator
 *   recover an account.
 * - `public`: families, meal-site devices (tablets, card readers that sign in unattended) and the
 *   platform's integration account, under the provider's own, lighter rules.
 * A token from one realm that claims a role of the other is refused by the authorizer
 * (functions/authorizer/verify.ts): a families' administrator can't make a staff member.
 */
export const realmRoles = {
  public: ['family', 'site', 'platform'],
  staff: ['staff', 'institution'],
} as const satisfies Record<string, readonly Role[]>;

export type Realm = keyof typeof realmRoles;
export const realms = Object.keys(realmRoles) as Realm[];

/** The realm whose issuer may grant `role`. */
export function realmOf(role: Role): Realm {
  return (realmRoles.staff as readonly Role[]).includes(role) ? 'staff' : 'public';
}
