import type { Principal } from './principal.js';
import { errors } from '../http/errors.js';

/**
 * Area rules shared by every bounded context. A token's county bounds everything; township
 * staff are further bounded by their township. Each check throws FORBIDDEN, never NOT_FOUND,
 * because the caller is told no more than that the record is outside their reach.
 */

export const countyOf = (township: string): string => township.slice(0, 6);

/** May this principal read or change county-level records of `township`'s area (staff only)? */
export function staffCoversTownship(p: Principal, township: string): boolean {
  return p.role === 'staff' && countyOf(township) === p.county && (!p.township || p.township === township);
}

export function assertStaffCoversTownship(p: Principal, township: string): void {
  if (!staffCoversTownship(p, township)) throw errors.forbidden('This township is outside the caller\'s area.');
}

/** County-wide staff only (township staff can't change county settings). */
export function assertCountyStaff(p: Principal, county: string): void {
  if (p.role !== 'staff' || p.county !== county || p.township) {
    throw errors.forbidden('Only county-level staff of this county may do that.');
  }
}

export function assertSameCounty(p: Principal, county: string): void {
  if (p.county !== county) throw errors.forbidden('This record belongs to another county.');
}
