import { assertCountyStaff, assertStaffCoversTownship, countyOf } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type { FamilyRelation, RegisterElderInput } from '#shared/schemas/elders.js';
import { cstDate } from '#shared/time.js';
import { newId } from '../lib/ids.js';
import { piiVault } from '../lib/pii.js';
import { metrics } from '../lib/powertools.js';
import { elderAccess, fullView, minimalView, type Elder } from './domain/elder.js';
import { decideDeathReport } from './domain/death.js';
import { breachError } from '#shared/dates.js';
import { parseIdNumber } from '#shared/id-number.js';
import * as store from './store.js';

/**
 * The registry's use cases. Handlers call these after validation; the seed script calls them
 * too, so demo data goes through the same rules as real data.
 */

export async function putTownship(p: Principal, code: string, input: { name: string; elderlyPopulation: number }, now: Date) {
  assertCountyStaff(p, countyOf(code));
  const township: store.Township = { code, county: countyOf(code), ...input, updatedAt: now.toISOString() };
  await store.putTownship(township, {
    type: 'township.updated',
    county: township.county,
    entity: `township:${code}`,
    data: { code, name: township.name, elderlyPopulation: township.elderlyPopulation },
  });
  return township;
}

export async function registerElder(p: Principal, input: RegisterElderInput, now: Date) {
  assertStaffCoversTownship(p, input.township);
  const today = cstDate(now);
  const check = parseIdNumber(input.idNumber, today);
  if (!check.ok) throw errors.validation([{ path: 'idNumber', message: check.reason }], 'The ID number is not valid.');
  if (input.village && !input.village.startsWith(input.township)) {
    throw errors.validation([{ path: 'village', message: 'must lie in the given township' }]);
  }
  const { facts } = check;
  const vault = piiVault();
  const [idFingerprint, idSealed] = await Promise.all([vault.fingerprint(facts.normalized), vault.seal(facts.normalized, p.county)]);
  const at = now.toISOString();
  const elder: Elder = {
    id: newId('eld', now.getTime()),
    county: p.county,
    township: input.township,
    ...(input.village && { village: input.village }),
    name: input.name,
    ...(input.phone && { phone: input.phone }),
    birthDate: facts.birthDate,
    gender: facts.gender,
    idNumberMasked: facts.masked,
    idFingerprint,
    idSealed,
    categories: [...new Set(input.categories)],
    ...(input.capabilityLevel !== undefined && { capabilityLevel: input.capabilityLevel }),
    dietaryNeeds: [...new Set(input.dietaryNeeds)],
    ...(input.cardNo && { cardNo: input.cardNo }),
    status: 'active',
    registeredAt: at,
    updatedAt: at,
  };
  const result = await store.insertElder(elder, {
    type: 'elder.registered',
    county: elder.county,
    entity: `elder:${elder.id}`,
    data: {
      elderId: elder.id,
      township: elder.township,
      birthDate: elder.birthDate,
      gender: elder.gender,
      idNumberMasked: elder.idNumberMasked,
      categories: elder.categories,
      capabilityLevel: elder.capabilityLevel ?? null,
    },
  });
  if (!result.ok) {
    switch (result.reason) {
      case 'unknown_township':
        throw errors.rule('UNKNOWN_TOWNSHIP', 'This township is not registered yet: PUT /v1/townships/{township} first.', [{ path: 'township', message: 'not registered' }]);
      case 'id_taken':
        // The existing id is shown only to staff of the same county, who may look it up anyway.
        throw errors.rule('ELDER_EXISTS', 'An elder with this ID number is already registered.',
          result.existing.county === p.county
            ? [{ path: 'idNumber', message: 'already registered', id: result.existing.elderId }]
            : [{ path: 'idNumber', message: 'already registered in another county' }]);
      case 'card_taken':
        throw errors.rule('CARD_IN_USE', 'This meal card number belongs to another elder.', [{ path: 'cardNo', message: 'already in use' }]);
    }
  }
  metrics.addMetric('EldersRegistered', 'Count', 1);
  return fullView(elder, today);
}

export async function readElder(p: Principal, elderId: string, now: Date) {
  const elder = await store.getElder(elderId);
  if (!elder) throw errors.notFound('Elder');
  const linked = p.role === 'family' && p.county === elder.county ? await store.isFamilyLinked(elderId, p.sub) : false;
  const access = elderAccess(p, elder, linked);
  if (access === 'none') throw errors.forbidden('This elder is outside the caller\'s area.');
  const today = cstDate(now);
  return access === 'full' ? fullView(elder, today) : minimalView(elder, today);
}

/** A family's elders (its links in its county), as the family sees each one. */
export async function listMyElders(p: Principal, now: Date) {
  const ids = await store.listFamilyElderIds(p.county, p.sub);
  const elders = await store.getElders(ids);
  const today = cstDate(now);
  return ids.flatMap((id) => {
    const elder = elders.get(id);
    return elder && elder.county === p.county ? [fullView(elder, today)] : [];
  });
}

export async function lookupElder(p: Principal, by: { idNumber: string } | { cardNo: string }, now: Date) {
  const today = cstDate(now);
  let elder: Elder | undefined;
  if ('idNumber' in by) {
    const check = parseIdNumber(by.idNumber, today);
    if (!check.ok) throw errors.validation([{ path: 'idNumber', message: check.reason }], 'The ID number is not valid.');
    elder = await store.findElderByFingerprint(await piiVault().fingerprint(check.facts.normalized));
  } else {
    elder = await store.findElderByCard(p.county, by.cardNo);
  }
  // An elder of another county is "not found" here: a lookup must not confirm that someone
  // is registered elsewhere.
  if (!elder || elder.county !== p.county) throw errors.notFound('Elder');
  if (p.role === 'staff' && p.township && p.township !== elder.township) throw errors.forbidden('This elder is outside the caller\'s township.');
  return minimalView(elder, today);
}

export async function linkFamily(p: Principal, elderId: string, input: { familySub: string; relation: FamilyRelation }, now: Date) {
  const elder = await store.getElder(elderId);
  if (!elder) throw errors.notFound('Elder');
  assertStaffCoversTownship(p, elder.township);
  const link: store.FamilyLink = { elderId, familySub: input.familySub, relation: input.relation, linkedAt: now.toISOString() };
  const r = await store.insertFamilyLink(elder.county, link, {
    type: 'elder.family_linked',
    county: elder.county,
    entity: `elder:${elderId}`,
    data: { elderId, relation: input.relation },
  });
  if (!r.ok) {
    if (r.reason === 'no_elder') throw errors.notFound('Elder');
    throw errors.rule('ALREADY_LINKED', 'This family account is already linked to this elder.', [{ path: 'familySub', message: 'already linked' }]);
  }
  return link;
}

/**
 * Records a death reported by staff or by the platform (`dateOfDeath`: CST `YYYY-MM-DD`).
 * Bookings are a meals concern: the caller passes the step that cancels an elder's bookings
 * dated on or after a given date, so the registry does not depend on meals.
 *
 * A report with an earlier date than the one recorded corrects it (and emits `elder.deceased`
 * again, with `correctedFrom`); the same date, or a later one, changes nothing and answers 409
 * ALREADY_DECEASED with the recorded date in details. A date after today is 422 DATE_IN_FUTURE,
 * before the birth date 422 DATE_OUT_OF_ORDER (rules in domain/death.ts).
 */
export async function reportDeceased(p: Principal, elderId: string, dateOfDeath: string, now: Date, cancelBookingsFrom: (elderId: string, fromDate: string, now: Date) => Promise<number>) {
  let elder = await store.getElder(elderId);
  if (!elder) throw errors.notFound('Elder');
  assertStaffCoversTownship(p, elder.township);
  const today = cstDate(now);
  const at = now.toISOString();
  // The write is conditioned on the record as read; a report racing this one makes it fail,
  // and deciding again on the fresh record keeps the earliest date either way.
  for (let attempt = 1; ; attempt++) {
    const decision = decideDeathReport(elder, dateOfDeath, today);
    if (decision.kind === 'refused') throw breachError(decision.breach);
    if (decision.kind === 'already') {
      // Cancelling is idempotent: a report repeated after a partial failure finishes the job.
      await cancelBookingsFrom(elderId, decision.recorded, now);
      throw errors.rule('ALREADY_DECEASED', `This elder is already recorded as deceased on ${decision.recorded}.`, [
        { path: 'dateOfDeath', message: decision.recorded === dateOfDeath ? 'is the date already recorded' : `is after the date already recorded (${decision.recorded})`, recordedDateOfDeath: decision.recorded },
      ]);
    }
    const correctedFrom = decision.was.status === 'deceased' ? decision.was.dateOfDeath : undefined;
    const written = await store.markDeceased(elderId, dateOfDeath, at, {
      type: 'elder.deceased',
      county: elder.county,
      entity: `elder:${elderId}`,
      data: { elderId, dateOfDeath, ...(correctedFrom && { correctedFrom }) },
    }, decision.was);
    if (written) break;
    if (attempt >= 4) throw new Error('death report kept racing other reports');
    elder = await store.getElder(elderId);
    if (!elder) throw errors.notFound('Elder');
  }
  await cancelBookingsFrom(elderId, dateOfDeath, now);
  return fullView({ ...elder, status: 'deceased', dateOfDeath, updatedAt: at }, today);
}

export type ElderChanges = Partial<Pick<Elder, 'name' | 'phone' | 'village' | 'categories' | 'capabilityLevel' | 'dietaryNeeds'>>;

/** Applies profile changes (from the platform's enrolment data or assessments). */
export async function updateElder(p: Principal, elderId: string, changes: ElderChanges, now: Date, type: 'elder.updated' | 'elder.assessed' = 'elder.updated') {
  const elder = await store.getElder(elderId);
  if (!elder) throw errors.notFound('Elder');
  assertStaffCoversTownship(p, elder.township);
  const at = now.toISOString();
  const ok = await store.updateElder(elderId, changes, at, {
    type,
    county: elder.county,
    entity: `elder:${elderId}`,
    // Fields that changed, without name or phone (personal data stays out of events).
    data: { elderId, changed: Object.keys(changes), ...(changes.categories && { categories: changes.categories }), ...(changes.capabilityLevel !== undefined && { capabilityLevel: changes.capabilityLevel }) },
  });
  if (!ok) throw errors.notFound('Elder');
  return fullView({ ...elder, ...changes, updatedAt: at }, cstDate(now));
}

/** The elder with this ID number, if registered (the platform knows people by ID number). */
export async function findByIdNumber(idNumber: string, now: Date): Promise<Elder | undefined> {
  const check = parseIdNumber(idNumber, cstDate(now));
  if (!check.ok) return undefined;
  return store.findElderByFingerprint(await piiVault().fingerprint(check.facts.normalized));
}
