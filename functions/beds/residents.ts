import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import * as registry from '../registry/store.js';
import { operableInstitution } from './access.js';
import type { Residence } from './domain/model.js';
import { bedDelta, combine } from './domain/occupancy.js';
import { bedView, by } from './institutions.js';
import * as store from './store.js';

/** A residence as the contract shows it (the `Residence` schema): the county is the guard's, not the answer's. */
export const residenceView = ({ county: _county, ...shown }: Residence): Omit<Residence, 'county'> => shown;

async function bedOf(institutionId: string, bedId: string) {
  const key = store.bedKey(bedId);
  const bed = key?.institutionId === institutionId ? await store.getBed(bedId) : undefined;
  if (!bed) throw errors.notFound('Bed in this institution');
  return bed;
}

export async function admit(p: Principal, institutionId: string, input: { bedId: string; elderId: string; admittedAt: string }, now: Date): Promise<Omit<Residence, 'county'>> {
  const i = await operableInstitution(p, institutionId);
  const elder = await registry.getElder(input.elderId);
  if (!elder || elder.county !== i.county) throw errors.notFound('Elder');
  if (elder.status === 'deceased') throw errors.rule('ELDER_DECEASED', 'This elder is reported deceased.');
  const bed = await bedOf(i.id, input.bedId);
  if (bed.status !== 'vacant') throw errors.rule('BED_NOT_VACANT', `This bed is ${bed.status}.`);
  const residence: Residence = { elderId: elder.id, county: i.county, institutionId: i.id, bedId: bed.id, bedLabel: bed.label, since: new Date(input.admittedAt).toISOString() };
  const r = await store.admit(i, bed, residence, bedDelta(bed, 'vacant', 'occupied'), { action: 'admitted', at: now.toISOString(), by: by(p), elderId: elder.id, bedId: bed.id }, {
    type: 'resident.admitted', county: i.county, entity: `bed:${bed.id}`, data: { elderId: elder.id, institutionId: i.id, bedId: bed.id, careType: bed.careType, admittedAt: residence.since },
  });
  if (!r.ok) {
    if (r.reason === 'elder_admitted') {
      const here = r.existing?.institutionId === i.id;
      throw errors.rule('ELDER_ALREADY_ADMITTED', 'This elder already has a bed in the county.', here ? [{ path: 'elderId', message: 'already admitted here', bedId: r.existing!.bedId }] : [{ path: 'elderId', message: 'already admitted' }]);
    }
    throw errors.rule('BED_NOT_VACANT', 'This bed was taken meanwhile.');
  }
  return residenceView(residence);
}

async function residenceHere(institutionId: string, elderId: string): Promise<Residence> {
  const r = await store.getResidence(elderId);
  if (!r || r.institutionId !== institutionId) throw errors.rule('NOT_ADMITTED_HERE', 'This elder is not a resident of this institution.', [{ path: 'elderId', message: 'not admitted here' }]);
  return r;
}

export async function discharge(p: Principal, institutionId: string, input: { elderId: string; dischargedAt: string; reason: string }, now: Date) {
  const i = await operableInstitution(p, institutionId);
  const r = await residenceHere(i.id, input.elderId);
  const bed = await bedOf(i.id, r.bedId);
  const at = now.toISOString();
  const ok = await store.discharge(i, bed, input.elderId, bedDelta(bed, 'occupied', 'vacant'), { action: 'discharged', at, by: by(p), elderId: input.elderId, bedId: bed.id, reason: input.reason }, {
    type: 'resident.discharged', county: i.county, entity: `bed:${bed.id}`, data: { elderId: input.elderId, institutionId: i.id, bedId: bed.id, dischargedAt: new Date(input.dischargedAt).toISOString(), reason: input.reason },
  });
  if (!ok) throw errors.rule('NOT_ADMITTED_HERE', 'This residence changed meanwhile; read it again.');
  return bedView({ ...bed, status: 'vacant', occupant: undefined, updatedAt: at });
}

export async function transfer(p: Principal, institutionId: string, input: { elderId: string; toBedId: string; reason?: string }, now: Date): Promise<Omit<Residence, 'county'>> {
  const i = await operableInstitution(p, institutionId);
  const r = await residenceHere(i.id, input.elderId);
  const [from, to] = await Promise.all([bedOf(i.id, r.bedId), bedOf(i.id, input.toBedId)]);
  if (from.id === to.id) throw errors.validation([{ path: 'toBedId', message: 'is the bed the elder is in' }]);
  if (to.status !== 'vacant') throw errors.rule('BED_NOT_VACANT', `The target bed is ${to.status}.`);
  const at = now.toISOString();
  const delta = combine(bedDelta(from, 'occupied', 'vacant'), bedDelta(to, 'vacant', 'occupied'));
  const out = await store.transfer(i, from, to, r, delta, { action: 'transferred', at, by: by(p), elderId: r.elderId, bedId: from.id, toBedId: to.id, ...(input.reason && { reason: input.reason }) }, {
    type: 'resident.transferred', county: i.county, entity: `bed:${to.id}`, data: { elderId: r.elderId, institutionId: i.id, fromBedId: from.id, toBedId: to.id },
  });
  if (!out.ok) throw out.reason === 'target_not_vacant' ? errors.rule('BED_NOT_VACANT', 'The target bed was taken meanwhile.') : errors.rule('NOT_ADMITTED_HERE', 'This residence changed meanwhile; read it again.');
  return residenceView({ ...r, bedId: to.id, bedLabel: to.label, since: at });
}
