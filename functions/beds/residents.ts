import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import * as registry from '../registry/store.js';
import { operableInstitution } from './access.js';
import type { Residence } from './domain/model.js';
import { bedDelta, combine } from './domain/occupancy.js';
import { bedView, by } from './institutions.js';
import { admissionBreach, dischargeBreach, transferBreach } from './domain/dates.js';
import { breachError, refuseFirst } from '#shared/dates.js';
import { deceasedNow } from '../registry/domain/death.js';
import { heldIfOffered, offerBedsFreedAt } from './offers.js';
import * as store from './store.js';

/** A residence as the contract shows it (the `Residence` schema): the county is the guard's, not the answer's. */
export const residenceView = ({ county: _county, ...shown }: Residence): Omit<Residence, 'county'> => shown;

async function bedOf(institutionId: string, bedId: string) {
  const key = store.bedKey(bedId);
  const bed = key?.institutionId === institutionId ? await store.getBed(bedId) : undefined;
  if (!bed) throw errors.notFound('Bed in this institution');
  return bed;
}

/**
 * Admits an elder into a vacant bed at `admittedAt` (ISO instant). A late entry (dated in the
 * past) is fine and the bed is occupied from now; 422 DATE_IN_FUTURE after now + 5 minutes;
 * 422 DATE_OUT_OF_ORDER before the birth date, before the bed's last occupant left, or before
 * the elder's last discharge; 422 ELDER_DECEASED for an elder recorded deceased (rules:
 * domain/dates.ts, registry/domain/death.ts). 409 BED_NOT_VACANT, 409 ELDER_ALREADY_ADMITTED.
 */
export async function admit(p: Principal, institutionId: string, input: { bedId: string; elderId: string; admittedAt: string }, now: Date): Promise<Omit<Residence, 'county'>> {
  const i = await operableInstitution(p, institutionId);
  const elder = await registry.getElder(input.elderId);
  if (!elder || elder.county !== i.county) throw errors.notFound('Elder');
  const admittedAt = new Date(input.admittedAt);
  refuseFirst(admissionBreach({ admittedAt, now, birthDate: elder.birthDate }), deceasedNow(elder, 'elderId'));
  const bed = await bedOf(i.id, input.bedId);
  if (bed.status !== 'vacant') throw errors.rule('BED_NOT_VACANT', `This bed is ${bed.status}.`);
  refuseFirst(admissionBreach({ admittedAt, now, birthDate: elder.birthDate, ...(bed.vacantSince && { bedVacantSince: bed.vacantSince }) }));
  const residence: Residence = { elderId: elder.id, county: i.county, institutionId: i.id, bedId: bed.id, bedLabel: bed.label, since: admittedAt.toISOString() };
  const r = await store.admit(i, bed, residence, bedDelta(bed, 'vacant', 'occupied'), { action: 'admitted', at: now.toISOString(), by: by(p), elderId: elder.id, bedId: bed.id }, {
    type: 'resident.admitted', county: i.county, entity: `bed:${bed.id}`, data: { elderId: elder.id, institutionId: i.id, bedId: bed.id, careType: bed.careType, admittedAt: residence.since },
  });
  if (!r.ok) {
    switch (r.reason) {
      case 'elder_admitted': {
        const here = r.existing?.institutionId === i.id;
        throw errors.rule('ELDER_ALREADY_ADMITTED', 'This elder already has a bed in the county.', here ? [{ path: 'elderId', message: 'already admitted here', bedId: r.existing!.bedId }] : [{ path: 'elderId', message: 'already admitted' }]);
      }
      case 'elder_left_later':
      case 'bed_vacated_later': {
        // The transaction's conditions saw a departure after this admission's date: the elder's
        // own last discharge, or the bed's last occupant leaving (both checked there, under races).
        const breach = admissionBreach({ admittedAt, now, birthDate: elder.birthDate, ...(r.reason === 'elder_left_later' ? { elderLeftAt: r.leftAt } : { bedVacantSince: r.vacantSince }) });
        throw breach ? breachError(breach) : errors.rule('BED_NOT_VACANT', 'This bed changed meanwhile; read it again.');
      }
      case 'bed_not_vacant':
        throw errors.rule('BED_NOT_VACANT', 'This bed was taken meanwhile.');
    }
  }
  return residenceView(residence);
}

async function residenceHere(institutionId: string, elderId: string): Promise<Residence> {
  const r = await store.getResidence(elderId);
  if (!r || r.institutionId !== institutionId) throw errors.rule('NOT_ADMITTED_HERE', 'This elder is not a resident of this institution.', [{ path: 'elderId', message: 'not admitted here' }]);
  return r;
}

/**
 * Discharges a resident at `dischargedAt` (ISO instant): 422 DATE_IN_FUTURE after now + 5
 * minutes, 422 DATE_OUT_OF_ORDER before the residence's `since` (the elder stays resident).
 * A deceased elder is discharged like anyone else (that is what a death in care needs).
 */
export async function discharge(p: Principal, institutionId: string, input: { elderId: string; dischargedAt: string; reason: string }, now: Date) {
  const i = await operableInstitution(p, institutionId);
  const r = await residenceHere(i.id, input.elderId);
  const dischargedAt = new Date(input.dischargedAt);
  refuseFirst(dischargeBreach({ dischargedAt, now, since: r.since }));
  const bed = await bedOf(i.id, r.bedId);
  const at = now.toISOString();
  const left = dischargedAt.toISOString();
  const ok = await store.discharge(i, bed, r, left, bedDelta(bed, 'occupied', 'vacant'), { action: 'discharged', at, by: by(p), elderId: input.elderId, bedId: bed.id, reason: input.reason }, {
    type: 'resident.discharged', county: i.county, entity: `bed:${bed.id}`, data: { elderId: input.elderId, institutionId: i.id, bedId: bed.id, dischargedAt: left, reason: input.reason },
  });
  if (!ok) throw errors.rule('NOT_ADMITTED_HERE', 'This residence changed meanwhile; read it again.');
  // The freed bed goes to the next application of the waiting list (public institutions).
  const offers = await offerBedsFreedAt(i, now);
  return bedView(heldIfOffered({ ...bed, status: 'vacant', occupant: undefined, vacantSince: left, updatedAt: at }, offers));
}

/**
 * Moves a resident to another vacant bed of the institution at `transferredAt` (ISO instant,
 * default now): 422 DATE_IN_FUTURE after now + 5 minutes, 422 DATE_OUT_OF_ORDER before the
 * residence's `since` or before the target bed's last occupant left, 422 ELDER_DECEASED for
 * an elder recorded deceased (discharge them instead).
 */
export async function transfer(p: Principal, institutionId: string, input: { elderId: string; toBedId: string; transferredAt?: string; reason?: string }, now: Date): Promise<Omit<Residence, 'county'>> {
  const i = await operableInstitution(p, institutionId);
  const r = await residenceHere(i.id, input.elderId);
  // Default now; or the residence's own date when a drifting clock dated the admission a few
  // minutes ahead (allowed), so an undated transfer is never "before the admission".
  const transferredAt = input.transferredAt ? new Date(input.transferredAt) : new Date(Math.max(now.getTime(), Date.parse(r.since)));
  refuseFirst(transferBreach({ transferredAt, now, since: r.since }));
  const elder = await registry.getElder(input.elderId);
  if (elder) refuseFirst(deceasedNow(elder, 'elderId'));
  const [from, to] = await Promise.all([bedOf(i.id, r.bedId), bedOf(i.id, input.toBedId)]);
  if (from.id === to.id) throw errors.validation([{ path: 'toBedId', message: 'is the bed the elder is in' }]);
  if (to.status !== 'vacant') throw errors.rule('BED_NOT_VACANT', `The target bed is ${to.status}.`);
  refuseFirst(transferBreach({ transferredAt, now, since: r.since, ...(to.vacantSince && { toBedVacantSince: to.vacantSince }) }));
  const at = now.toISOString();
  const movedAt = transferredAt.toISOString();
  const delta = combine(bedDelta(from, 'occupied', 'vacant'), bedDelta(to, 'vacant', 'occupied'));
  const out = await store.transfer(i, from, to, r, movedAt, delta, { action: 'transferred', at, by: by(p), elderId: r.elderId, bedId: from.id, toBedId: to.id, ...(input.reason && { reason: input.reason }) }, {
    type: 'resident.transferred', county: i.county, entity: `bed:${to.id}`, data: { elderId: r.elderId, institutionId: i.id, fromBedId: from.id, toBedId: to.id, transferredAt: movedAt },
  });
  if (!out.ok) {
    const breach = out.reason === 'target_vacated_later' ? transferBreach({ transferredAt, now, since: r.since, toBedVacantSince: out.vacantSince }) : undefined;
    if (breach) throw breachError(breach);
    throw out.reason === 'target_not_vacant' ? errors.rule('BED_NOT_VACANT', 'The target bed was taken meanwhile.') : errors.rule('NOT_ADMITTED_HERE', 'This residence changed meanwhile; read it again.');
  }
  await offerBedsFreedAt(i, now);
  return residenceView({ ...r, bedId: to.id, bedLabel: to.label, since: movedAt });
}
