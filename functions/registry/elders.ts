import { assertCountyStaff, assertStaffCoversTownship, countyOf } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type { FamilyRelation, PatchElderInput, RegisterElderInput } from '#shared/schemas/elders.js';
import type { Page, PageRequest } from '#shared/pagination.js';
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

// ---- staff administration (issue 14)

/** A meal card number as `q`: card-shaped and holding a digit (so a Latin name is searched as a name). */
const looksLikeCard = (q: string) => /^[A-Za-z0-9-]{4,32}$/.test(q) && /\d/.test(q);

/**
 * A page of the elders a staff member may see (their county, or their township), optionally of
 * one township, as the full view. `q` is, in this order: a valid full ID number (found by its
 * fingerprint through the ID guard: at most one elder, never compared with a stored number), a
 * card number (the card guard: at most one), or else the start of a name (gsi2, by name).
 * A township outside the caller's area is 403, as everywhere.
 */
export async function searchElders(p: Principal, filter: { township?: string | undefined; q?: string | undefined }, page: PageRequest, now: Date): Promise<Page<ReturnType<typeof fullView>>> {
  if (filter.township) assertStaffCoversTownship(p, filter.township);
  const today = cstDate(now);
  const townships = filter.township ? [filter.township] : p.township ? [p.township] : (await store.listTownships(p.county)).map((t) => t.code).sort();
  const inArea = (e: Elder | undefined): e is Elder => e !== undefined && e.county === p.county && townships.includes(e.township);
  const q = filter.q;
  if (q !== undefined) {
    const id = parseIdNumber(q, today);
    if (id.ok || looksLikeCard(q)) {
      const elder = id.ok ? await store.findElderByFingerprint(await piiVault().fingerprint(id.facts.normalized)) : await store.findElderByCard(p.county, q);
      return { items: inArea(elder) ? [fullView(elder, today)] : [] };
    }
  }
  const { items, next } = await store.eldersPage(townships, q, page);
  return { items: items.filter(inArea).map((e) => fullView(e, today)), next };
}

/**
 * Staff edit of an elder's profile: only the fields given change, null clears one. The write is
 * conditioned on the record as read, so an edit or a death report that lands meanwhile is kept:
 * this edit is decided again on the fresh record (up to four times). A new card number is
 * claimed and the old one released in the same transaction (409 CARD_IN_USE if another elder
 * holds it). Emits `elder.updated` naming the changed fields (no phone or address in it).
 * Idempotent by nature: the same edit again leaves the same record (and emits again).
 */
export async function patchElder(p: Principal, elderId: string, input: PatchElderInput, now: Date) {
  let elder = await store.getElder(elderId);
  if (!elder) throw errors.notFound('Elder');
  assertStaffCoversTownship(p, elder.township);
  if (input.village && !input.village.startsWith(elder.township)) {
    throw errors.validation([{ path: 'village', message: 'must lie in the elder\'s township' }]);
  }
  const patch: store.ElderPatch = {
    ...(input.phone !== undefined && { phone: input.phone }),
    ...(input.address !== undefined && { address: input.address }),
    ...(input.village !== undefined && { village: input.village }),
    ...(input.categories && { categories: [...new Set(input.categories)] }),
    ...(input.capabilityLevel !== undefined && { capabilityLevel: input.capabilityLevel }),
    ...(input.dietaryNeeds && { dietaryNeeds: [...new Set(input.dietaryNeeds)] }),
    ...(input.cardNo !== undefined && { cardNo: input.cardNo }),
  };
  const at = now.toISOString();
  for (let attempt = 1; ; attempt++) {
    const r = await store.patchElder(elder, patch, at, {
      type: 'elder.updated',
      county: elder.county,
      entity: `elder:${elderId}`,
      data: { elderId, changed: Object.keys(patch), ...(patch.categories && { categories: patch.categories }), ...(patch.capabilityLevel !== undefined && { capabilityLevel: patch.capabilityLevel }) },
    });
    if (r.ok) break;
    if (r.reason === 'card_taken') throw errors.rule('CARD_IN_USE', 'This meal card number belongs to another elder.', [{ path: 'cardNo', message: 'already in use' }]);
    if (attempt >= 4) throw new Error('elder edit kept racing other changes');
    elder = await store.getElder(elderId, { consistent: true });
    if (!elder) throw errors.notFound('Elder');
  }
  const merged = { ...elder, updatedAt: at } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  return fullView(merged as unknown as Elder, cstDate(now));
}

/**
 * Removes a family account's link to an elder (staff of the elder's area): the account no
 * longer sees the elder or books for them. 404 when there is no such link; emits
 * `elder.family_unlinked`. Idempotent by nature: once removed it stays removed (a repeat is 404).
 */
export async function unlinkFamily(p: Principal, elderId: string, familySub: string, now: Date) {
  const elder = await store.getElder(elderId);
  if (!elder) throw errors.notFound('Elder');
  assertStaffCoversTownship(p, elder.township);
  const link = await store.getFamilyLink(elderId, familySub);
  if (!link) throw errors.notFound('Family link');
  const at = now.toISOString();
  const removed = await store.deleteFamilyLink(elderId, familySub, { type: 'elder.family_unlinked', county: elder.county, entity: `elder:${elderId}`, data: { elderId, relation: link.relation } }, at);
  if (!removed) throw errors.notFound('Family link');
  return { ...link, unlinkedAt: at };
}
