import { staffCoversTownship } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type { Institution } from './domain/model.js';
import * as store from './store.js';

/** Who made a change, as the change log records it: `role:subject`. */
export const by = (p: Principal) => `${p.role}:${p.sub}`;

/** An institution's own staff act for it alone; civil-affairs staff for institutions in their area. */
export function operatesInstitution(p: Principal, i: Pick<Institution, 'id' | 'county' | 'township'>): boolean {
  if (p.county !== i.county) return false;
  if (p.role === 'institution') return p.institution === i.id;
  return staffCoversTownship(p, i.township);
}

export async function operableInstitution(p: Principal, id: string): Promise<Institution> {
  const i = await store.getInstitution(id);
  if (!i) throw errors.notFound('Institution');
  if (!operatesInstitution(p, i)) throw errors.forbidden('This institution is outside the caller\'s reach.');
  return i;
}
