import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import { newId } from '../lib/ids.js';
import * as registry from '../registry/store.js';
import { operableInstitution } from './access.js';
import type { HomeCareBed } from './domain/model.js';
import { homeCareDelta } from './domain/occupancy.js';
import * as store from './store.js';

/** 家庭养老床位: the elder's own bed at home, served by an institution; counted apart from institution beds. */
export async function openHomeCareBed(p: Principal, input: { elderId: string; institutionId: string; address: string; startedAt: string }, now: Date): Promise<HomeCareBed> {
  const i = await operableInstitution(p, input.institutionId);
  const elder = await registry.getElder(input.elderId);
  if (!elder || elder.county !== i.county) throw errors.notFound('Elder');
  if (elder.status === 'deceased') throw errors.rule('ELDER_DECEASED', 'This elder is reported deceased.');
  const h: HomeCareBed = { id: newId('hcb', now.getTime()), elderId: elder.id, institutionId: i.id, county: i.county, township: elder.township, address: input.address, startedAt: input.startedAt, status: 'open' };
  // Counted in the serving institution's counters (and its township's and county's).
  const ok = await store.openHomeCare(i, h, homeCareDelta(1), { type: 'home_care_bed.opened', county: i.county, entity: `home_care_bed:${h.id}`, data: { homeCareBedId: h.id, elderId: elder.id, institutionId: i.id, startedAt: h.startedAt } });
  if (!ok) throw errors.rule('HOME_CARE_BED_EXISTS', 'This elder already has an open home care bed.');
  return h;
}

export async function closeHomeCareBed(p: Principal, id: string, closedAt: string): Promise<HomeCareBed> {
  const h = await store.getHomeCare(id);
  if (!h) throw errors.notFound('Home care bed');
  const i = await operableInstitution(p, h.institutionId);
  if (h.status === 'closed') throw errors.rule('ALREADY_CLOSED', 'This home care bed is already closed.');
  if (closedAt < h.startedAt) throw errors.validation([{ path: 'closedAt', message: 'must not be before startedAt' }]);
  const ok = await store.closeHomeCare(i, h, closedAt, homeCareDelta(-1), { type: 'home_care_bed.closed', county: i.county, entity: `home_care_bed:${h.id}`, data: { homeCareBedId: h.id, closedAt } });
  if (!ok) throw errors.rule('ALREADY_CLOSED', 'This home care bed was closed meanwhile.');
  return { ...h, status: 'closed', closedAt };
}
