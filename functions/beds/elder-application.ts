import { staffCoversTownship } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import * as registry from '../registry/store.js';
import { readApplication } from './applications.js';
import * as store from './applications-store.js';

/**
 * An elder's care-bed application, found from the elder (the family page knows its elder, not
 * the application's id): the open one (waiting or offered), else the last one filed (withdrawn
 * or admitted), as `readApplication` shows it: in full to staff of the elder's area, the family
 * view (status, position, class and its reason) to a family linked to the elder.
 *
 * Found through the elder's guard item, not by searching applications: two GetItems whatever the
 * county holds (plus, while open, the county's queue for the position, as for any application).
 *
 * 404 when none was ever filed, and for a family not linked to the elder (it may not learn
 * whether the elder has one); 403 for staff outside the elder's area (another township or
 * county), with or without an application, so the answer never tells them which.
 */
export async function readElderApplication(p: Principal, elderId: string, now: Date) {
  const id = await store.elderApplicationId(elderId);
  if (id !== undefined) return readApplication(p, id, now);
  if (p.role === 'staff') {
    const elder = await registry.getElder(elderId);
    if (!elder) throw errors.notFound('Elder');
    if (elder.county !== p.county || !staffCoversTownship(p, elder.township)) throw errors.forbidden('This elder is outside the caller\'s area.');
  }
  throw errors.notFound('Care-bed application of this elder');
}
