import { putPolicyVersion } from '../lib/policy-versions.js';
import { assertCountyStaff, staffCoversTownship } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { refuseFirst, versionStartBreach } from '#shared/dates.js';
import { errors } from '#shared/http/errors.js';
import type { Page, PageRequest } from '#shared/pagination.js';
import type * as z from 'zod/mini';
import type { bedApplication, bedApplicationFamilyView, fileApplicationBody, putAdmissionPolicyBody, queueEntry } from '#shared/schemas/bed-applications.js';
import { cstDate } from '#shared/time.js';
import { newId } from '../lib/ids.js';
import * as registry from '../registry/store.js';
import { deceasedNow } from '../registry/domain/death.js';
import * as store from './applications-store.js';
import { afterCursor, inQueueOf, isOpen, noPolicy, queueOn, type AdmissionPolicyVersion, type BedApplication } from './domain/applications.js';
import { by } from './access.js';
import { familyOffer, offerFreedBeds, offerRelease } from './offers.js';
import { WAITING_LIST_KINDS } from './domain/offers.js';
import { getInstitution } from './store.js';

type Full = z.input<typeof bedApplication>;
type FamilyView = z.input<typeof bedApplicationFamilyView>;
type Entry = z.input<typeof queueEntry>;

/**
 * Puts an admission policy version (county-level staff of the county; township staff 403).
 * `effectiveFrom` (CST date) may not be before `earliestAdmissionPolicyStart` (422 DATE_IN_PAST,
 * details give the earliest). A future version is replaced by putting its date again. Emits
 * admission_policy.updated.
 */
export async function putAdmissionPolicy(p: Principal, input: z.output<typeof putAdmissionPolicyBody>, now: Date): Promise<AdmissionPolicyVersion> {
  assertCountyStaff(p, p.county);
  const today = cstDate(now);
  const version: AdmissionPolicyVersion = { ...input, county: p.county, version: input.effectiveFrom, updatedAt: now.toISOString() };
  const event = { type: 'admission_policy.updated', county: p.county, entity: `admission_policy:${p.county}:${input.effectiveFrom}`, data: { ...input } } as const;
  await putPolicyVersion({
    effectiveFrom: input.effectiveFrom,
    today,
    inForce: () => store.policyInForce(p.county, today),
    breach: (inForce) => versionStartBreach(input.effectiveFrom, today, inForce, { decides: "ordered today's queue", changes: "the order of past days' queues, ordered" }),
    put: (replace) => store.putPolicy(version, event, { replace }),
  });
  return version;
}


/** The admission policy in force on `date` (CST; default today), or 404. */
export async function getAdmissionPolicy(p: Principal, date: string | undefined, now: Date): Promise<AdmissionPolicyVersion> {
  const policy = await store.policyInForce(p.county, date ?? cstDate(now));
  if (!policy) throw errors.notFound('Admission policy in force on that date');
  return policy;
}

/** What the contract shows of a stored application (the birth date stays inside). */
const shown = ({ birthDate: _b, declinedBeds: _d, ...a }: BedApplication): Full => ({ ...a, declinedAt: [...a.declinedAt] });

/** The county's open applications in queue order today (CST), with the policy that ordered them. */
async function countyQueue(county: string, now: Date) {
  const today = cstDate(now);
  const [policy, open] = await Promise.all([store.policyInForce(county, today), store.openApplications(county)]);
  return { today, policy, queue: queueOn(policy ?? noPolicy(county), open, today) };
}

/** One institution's open applications in queue order today (CST), with the policy that ordered them. */
async function institutionQueue(county: string, institution: { id: string; township: string }, now: Date) {
  const today = cstDate(now);
  const [policy, open] = await Promise.all([store.policyInForce(county, today), store.institutionApplications(county, institution)]);
  return { today, policy, queue: queueOn(policy ?? noPolicy(county), open, today) };
}

/**
 * Files a care-bed application (staff of the elder's area): 201 with its class and place in
 * the county's queue today. 404 for an elder or a preferred institution outside the county,
 * 403 outside the caller's township, 422 ELDER_DECEASED, 409 APPLICATION_EXISTS (one open
 * application per elder in the county, decided by the guard in the write). The elder's
 * categories and capability level (the assessment at filing) are recorded with it.
 */
export async function fileApplication(p: Principal, input: z.output<typeof fileApplicationBody>, now: Date): Promise<Full> {
  const elder = await registry.getElder(input.elderId);
  if (!elder || elder.county !== p.county) throw errors.notFound('Elder');
  if (!staffCoversTownship(p, elder.township)) throw errors.forbidden('This elder lives outside the caller\'s township.');
  refuseFirst(deceasedNow(elder, 'elderId'));
  if (input.township !== undefined && input.township.slice(0, 6) !== p.county) throw errors.validation([{ path: 'township', message: 'is not a township of this county' }]);
  for (const [k, id] of (input.institutionIds ?? []).entries()) {
    const i = await getInstitution(id);
    if (!i || i.county !== p.county) throw errors.notFound(`Institution (institutionIds.${k})`);
    // Only public institutions' beds are offered (domain/offers.ts): naming another would wait forever.
    if (!WAITING_LIST_KINDS.has(i.kind)) throw errors.validation([{ path: `institutionIds.${k}`, message: `is a ${i.kind} institution: the waiting list fills the beds of public institutions only (${[...WAITING_LIST_KINDS].join(', ')})` }]);
  }
  const at = now.toISOString();
  const a: BedApplication = {
    id: newId('app', now.getTime()),
    elderId: elder.id,
    county: elder.county,
    elderTownship: elder.township,
    status: 'waiting',
    careType: input.careType,
    tags: input.tags,
    ...(input.institutionIds && { institutionIds: input.institutionIds }),
    ...(input.township && { township: input.township }),
    ...(elder.capabilityLevel !== undefined && { capabilityLevelAtFiling: elder.capabilityLevel }),
    categoriesAtFiling: [...elder.categories],
    birthDate: elder.birthDate,
    appliedAt: at,
    declinedAt: [],
    filedBy: p.sub,
  };
  const r = await store.fileApplication(a, {
    type: 'bed_application.filed', county: a.county, entity: `bed_application:${a.id}`,
    data: { applicationId: a.id, elderId: a.elderId, careType: a.careType, tags: a.tags, ...(a.institutionIds && { institutionIds: a.institutionIds }), ...(a.township && { township: a.township }), ...(a.capabilityLevelAtFiling !== undefined && { capabilityLevelAtFiling: a.capabilityLevelAtFiling }), appliedAt: at },
  });
  if (!r.ok) throw errors.rule('APPLICATION_EXISTS', 'This elder already has an open care-bed application in this county.', [{ path: 'elderId', message: 'has an open application', id: r.openId }]);
  // A suitable bed may be vacant already: the new application may be offered it at once.
  const offers = await offerFreedBeds(a.county, undefined, now);
  const mine = offers.find((o) => o.applicationId === a.id);
  const { queue } = await countyQueue(a.county, now);
  const place = queue.find((q) => q.id === a.id);
  return { ...shown(a), ...(mine && { status: 'offered', offerId: mine.id }), ...(place && { priorityClass: place.priorityClass, position: place.position, queuedAt: place.queuedAt }) };
}

/**
 * A page of the queue (see the route's description): the county's pooled queue, or one
 * institution's part of it, of one care type or both, ordered today; township staff see their township's elders' entries
 * at their places in the whole queue. Pages continue after the previous page's last entry
 * (its class rank, queue time and id).
 */
export async function listQueue(p: Principal, filter: { institutionId?: string | undefined; status?: 'waiting' | 'offered' | undefined; careType?: 'nursing' | 'ordinary' | undefined }, page: PageRequest, now: Date): Promise<Page<Entry> & { policyVersion?: string; date: string }> {
  let institution: { id: string; township: string } | undefined;
  if (filter.institutionId) {
    const i = await getInstitution(filter.institutionId);
    if (!i || i.county !== p.county) throw errors.notFound('Institution');
    institution = i;
  }
  // An institution's queue is read from its own entries (applications-store.ts): its cost
  // follows that queue, not the county's.
  const { today, policy, queue } = institution ? await institutionQueue(p.county, institution, now) : await countyQueue(p.county, now);
  const ours = queue
    .filter((q) => (!institution || inQueueOf(q.application, institution)) && (!filter.careType || q.application.careType === filter.careType))
    // Positions are places in the queue asked for (an institution's, a care type's): each counts from 1.
    .map((q, k) => ({ ...q, position: k + 1 }))
    .filter((q) => (!filter.status || q.application.status === filter.status) && staffCoversTownship(p, q.application.elderTownship));
  const after = page.after;
  const rest = after ? ours.filter((q) => afterCursor(q, { rank: Number(after.rank), at: String(after.at), id: String(after.id) })) : ours;
  const items = rest.slice(0, page.limit);
  const last = items.at(-1);
  return {
    date: today,
    ...(policy && { policyVersion: policy.version }),
    items: items.map((q) => ({ ...shown(q.application), position: q.position, priorityClass: q.priorityClass, classRank: q.classRank, queuedAt: q.queuedAt, requeued: q.requeued })),
    ...(rest.length > items.length && last && { next: { rank: last.classRank, at: last.queuedAt, id: last.id } }),
  };
}

/**
 * What the caller may see of an application: 'full' for staff of the elder's area, 'family' for
 * a family linked to the elder; otherwise 404 for a family (it may not learn the id exists) and
 * 403 for staff outside the area.
 */
async function accessTo(p: Principal, a: BedApplication): Promise<'full' | 'family'> {
  if (p.role === 'family') {
    if (p.county === a.county && (await registry.isFamilyLinked(a.elderId, p.sub))) return 'family';
    throw errors.notFound('Care-bed application');
  }
  if (p.role === 'staff' && p.county === a.county && staffCoversTownship(p, a.elderTownship)) return 'full';
  throw errors.forbidden('This application is outside the caller\'s area.');
}

async function readable(p: Principal, id: string): Promise<{ a: BedApplication; access: 'full' | 'family' }> {
  const a = await store.getApplication(id);
  if (!a) throw errors.notFound('Care-bed application');
  return { a, access: await accessTo(p, a) };
}

/** The family's view; `place` (while open) gives the reason for the position: the class's rank and the queue time; `offer` where a bed is held. */
const familyView = (a: Pick<Full, 'id' | 'elderId' | 'status' | 'appliedAt' | 'position' | 'priorityClass' | 'withdrawnAt'>, place?: Pick<Entry, 'classRank' | 'queuedAt' | 'requeued'>, offer?: FamilyView['offer']): FamilyView => ({
  id: a.id, elderId: a.elderId, status: a.status, appliedAt: a.appliedAt, ...(a.position !== undefined && { position: a.position }), ...(a.priorityClass !== undefined && { priorityClass: a.priorityClass }),
  ...(place && { classRank: place.classRank, queuedAt: place.queuedAt, requeued: place.requeued }), ...(a.withdrawnAt !== undefined && { withdrawnAt: a.withdrawnAt }),
  ...(offer && { offer }),
});

/** One application with, while open, its class and place in the county's queue today. */
export async function readApplication(p: Principal, id: string, now: Date): Promise<Full | FamilyView> {
  const { a, access } = await readable(p, id);
  const place = isOpen(a) ? (await countyQueue(a.county, now)).queue.find((q) => q.id === a.id) : undefined;
  const out: Full = { ...shown(a), ...(place && { priorityClass: place.priorityClass, position: place.position, queuedAt: place.queuedAt }) };
  if (access === 'full') return out;
  return familyView(out, place, a.status === 'offered' && a.offerId ? await familyOffer(a.county, a.offerId) : undefined);
}

/** Withdraws an open application (staff of the area or a linked family): 409 APPLICATION_CLOSED when it is not open. */
export async function withdrawApplication(p: Principal, id: string, now: Date): Promise<Full | FamilyView> {
  let { a, access } = await readable(p, id);
  const at = now.toISOString();
  const event = { type: 'bed_application.withdrawn', county: a.county, entity: `bed_application:${a.id}`, data: { applicationId: a.id, elderId: a.elderId, withdrawnAt: at } } as const;
  // The write is conditioned on the status read (waiting, or offered with that offer): an offer
  // made or ended meanwhile makes it fail, and it is read and tried again.
  for (let attempt = 1; ; attempt++) {
    if (!isOpen(a)) throw errors.rule('APPLICATION_CLOSED', `This application is already ${a.status === 'admitted' ? 'admitted' : 'withdrawn'}: it is no longer in the queue.`, [{ path: 'id', message: `is ${a.status}` }]);
    const release = a.status === 'offered' && a.offerId ? await offerRelease(a.county, a.offerId, at, by(p)) : undefined;
    if (await store.withdrawApplication(a, at, event, release?.items)) {
      if (release) await offerFreedBeds(a.county, [release.institutionId], now);
      break;
    }
    if (attempt >= 4) throw errors.rule('APPLICATION_CLOSED', 'This application kept changing; read it again.', [{ path: 'id', message: 'changed meanwhile' }]);
    ({ a } = await readable(p, id));
  }
  const { offerId: _o, ...rest } = shown(a);
  const out: Full = { ...rest, status: 'withdrawn', withdrawnAt: at };
  return access === 'full' ? out : familyView(out);
}
