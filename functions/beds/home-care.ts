import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import { newId } from '../lib/ids.js';
import * as registry from '../registry/store.js';
import { operableInstitution } from './access.js';
import type { HomeCareBed } from './domain/model.js';
import { homeCareDelta } from './domain/occupancy.js';
import { homeCareCloseBreach, homeCareOpenBreach } from './domain/dates.js';
import { breachError, refuseFirst } from '#shared/dates.js';
import { cstDate } from '#shared/time.js';
import { deceasedNow } from '../registry/domain/death.js';
import * as store from './store.js';

/**
 * 家庭养老床位: the elder's own bed at home, served by an institution; counted apart from
 * institution beds. `startedAt` (CST date) not after today (422 DATE_IN_FUTURE), not before the
 * birth date or the close of the elder's previous home care bed (422 DATE_OUT_OF_ORDER); an
 * elder recorded deceased gets none (422 ELDER_DECEASED: it would be open from now on).
 */
export async function openHomeCareBed(p: Principal, input: { elderId: string; institutionId: string; address: string; startedAt: string }, now: Date): Promise<HomeCareBed> {
  const i = await operableInstitution(p, input.institutionId);
  const elder = await registry.getElder(input.elderId);
  if (!elder || elder.county !== i.county) throw errors.notFound('Elder');
  const today = cstDate(now);
  refuseFirst(homeCareOpenBreach({ startedAt: input.startedAt, today, birthDate: elder.birthDate }), deceasedNow(elder, 'elderId'));
  const h: HomeCareBed = { id: newId('hcb', now.getTime()), elderId: elder.id, institutionId: i.id, county: i.county, township: elder.township, address: input.address, startedAt: input.startedAt, status: 'open' };
  // Counted in the serving institution's counters (and its township's and county's).
  const r = await store.openHomeCare(i, h, homeCareDelta(1), { type: 'home_care_bed.opened', county: i.county, entity: `home_care_bed:${h.id}`, data: { homeCareBedId: h.id, elderId: elder.id, institutionId: i.id, startedAt: h.startedAt } }, now);
  if (!r.ok) {
    const breach = r.reason === 'closed_later' ? homeCareOpenBreach({ startedAt: input.startedAt, today, birthDate: elder.birthDate, previousClosedAt: r.closedAt }) : undefined;
    if (breach) throw breachError(breach);
    throw errors.rule('HOME_CARE_BED_EXISTS', 'This elder already has an open home care bed.');
  }
  return h;
}

/** Closes a home care bed on `closedAt` (CST date): not after today (422 DATE_IN_FUTURE), not before `startedAt` (422 DATE_OUT_OF_ORDER). */
export async function closeHomeCareBed(p: Principal, id: string, closedAt: string, now: Date): Promise<HomeCareBed> {
  const h = await store.getHomeCare(id);
  if (!h) throw errors.notFound('Home care bed');
  const i = await operableInstitution(p, h.institutionId);
  if (h.status === 'closed') throw errors.rule('ALREADY_CLOSED', 'This home care bed is already closed.');
  refuseFirst(homeCareCloseBreach({ closedAt, today: cstDate(now), startedAt: h.startedAt }));
  const ok = await store.closeHomeCare(i, h, closedAt, homeCareDelta(-1), { type: 'home_care_bed.closed', county: i.county, entity: `home_care_bed:${h.id}`, data: { homeCareBedId: h.id, closedAt } }, now);
  if (!ok) throw errors.rule('ALREADY_CLOSED', 'This home care bed was closed meanwhile.');
  return { ...h, status: 'closed', closedAt };
}
