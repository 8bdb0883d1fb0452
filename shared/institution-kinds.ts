/**
 * Kinds of care institution (plain data, no zod: the scheduled jobs' bundles import it).
 * 敬老院 (welfare_home, 特困供养), public homes, privately run ones, publicly built and privately
 * run (公建民营), regional centres (区域养老服务中心), community and day-care places, and 农村幸福院.
 */
export const institutionKinds = ['welfare_home', 'public', 'private', 'public_built_private_run', 'regional_center', 'community', 'day_care', 'rural_happiness_home'] as const;
export type InstitutionKind = (typeof institutionKinds)[number];

/**
 * The kinds whose beds the waiting list (轮候) fills: institutions the county runs or owns (敬老院
 * and public homes, publicly built ones run by a contractor, regional centres). A private home's
 * vacancy is its own business; community and day-care places and 农村幸福院 have no care beds.
 */
export const waitingListKinds: readonly InstitutionKind[] = ['welfare_home', 'public', 'public_built_private_run', 'regional_center'];
