export const roles = ['staff', 'site', 'institution', 'family', 'platform'] as const;
export type Role = (typeof roles)[number];

/**
 * Claim names. Cognito puts group membership in `cognito:groups` and custom user-pool
 * attributes under `custom:`; the local token issuer writes the same names so handlers read
 * one shape everywhere.
 */
export const claimNames = {
  groups: 'cognito:groups',
  county: 'custom:county',
  township: 'custom:township',
  site: 'custom:site',
  institution: 'custom:institution',
} as const;

/** Custom attributes of the user pool (name without the `custom:` prefix). */
export const customAttributes = ['county', 'township', 'site', 'institution'] as const;
