import { staffCoversTownship } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type { MealSite } from './domain/model.js';

/**
 * Area rules for meal records. A site's own staff and devices act for that site only; staff
 * act for sites in their county or township; everyone else may read a site of their county.
 */
export function canOperateSite(p: Principal, site: Pick<MealSite, 'id' | 'county' | 'township'>): boolean {
  if (p.county !== site.county) return false;
  if (p.role === 'site') return p.site === site.id;
  return staffCoversTownship(p, site.township);
}

export function assertOperatesSite(p: Principal, site: Pick<MealSite, 'id' | 'county' | 'township'>): void {
  if (!canOperateSite(p, site)) throw errors.forbidden('This meal site is outside the caller\'s reach.');
}

export function assertReadsSite(p: Principal, site: Pick<MealSite, 'county'>): void {
  if (p.county !== site.county) throw errors.forbidden('This meal site belongs to another county.');
}
