import { assertStaffCoversTownship, countyOf } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type { Page, PageRequest } from '#shared/pagination.js';
import type * as z from 'zod/mini';
import { MAX_TAGS_PER_INSTITUTION, type addBedsBody, type createInstitutionBody, type PatchInstitutionInput } from '#shared/schemas/beds.js';
import { newId } from '../lib/ids.js';
import { by, operableInstitution, operatesInstitution } from './access.js';
import { heldIfOffered, offerBedsFreedAt } from './offers.js';
import type { Bed, Institution } from './domain/model.js';
import { bedDelta, combine, type BedStatus } from './domain/occupancy.js';
import * as store from './store.js';

export { by };

export const bedView = (b: Bed) => ({
  id: b.id,
  institutionId: b.institutionId,
  label: b.label,
  careType: b.careType,
  tags: b.tags,
  status: b.status,
  ...(b.occupant && { occupant: b.occupant }),
  ...(b.vacantSince && b.status !== 'occupied' && { vacantSince: b.vacantSince }),
  ...(b.offerId && { offerId: b.offerId }),
  updatedAt: b.updatedAt,
});

export async function createInstitution(p: Principal, input: z.output<typeof createInstitutionBody>, now: Date): Promise<Institution> {
  assertStaffCoversTownship(p, input.township);
  const institution: Institution = { ...input, id: newId('inst', now.getTime()), county: countyOf(input.township), createdAt: now.toISOString() };
  await store.putInstitution(institution, { type: 'institution.registered', county: institution.county, entity: `institution:${institution.id}`, data: { ...input, institutionId: institution.id } });
  await store.registerCounty(institution.county);
  return institution;
}

export async function addBeds(p: Principal, institutionId: string, input: z.output<typeof addBedsBody>, now: Date) {
  const i = await operableInstitution(p, institutionId);
  const at = now.toISOString();
  const beds: Bed[] = input.beds.map((b) => ({
    id: store.bedIdOf(i.id, b.label),
    institutionId: i.id,
    county: i.county,
    township: i.township,
    label: b.label,
    careType: b.careType,
    tags: [...new Set(b.tags)],
    status: 'vacant',
    updatedAt: at,
  }));
  const delta = combine(...beds.map((b) => bedDelta(b, undefined, 'vacant')));
  const requested = new Set(beds.flatMap((b) => b.tags));
  // The bound holds for the institution, not the request: the tags its beds already carry
  // count. A request bringing new tags writes them to the institution's set, guarded (see
  // store.TagGuard); one that lost a race with another reads again.
  for (let attempt = 1; ; attempt++) {
    const known = await store.institutionTags(i);
    const fresh = [...requested].filter((t) => !known.tags.has(t));
    if (known.tags.size + fresh.length > MAX_TAGS_PER_INSTITUTION) {
      throw errors.rule('TOO_MANY_TAGS', `This institution's beds would carry ${known.tags.size + fresh.length} distinct tags; at most ${MAX_TAGS_PER_INSTITUTION}.`, [
        { path: 'beds', message: `${fresh.length} new tags, ${known.tags.size} in use`, inUse: [...known.tags].sort(), new: fresh.sort() },
      ]);
    }
    // Tags in use but not yet in the set (counters from before it was kept) join it on the way.
    const add = !fresh.length ? [] : known.stored === undefined ? [...known.tags, ...fresh] : fresh;
    const r = await store.insertBeds(i, beds, delta, { action: 'beds_added', at, by: by(p), count: beds.length }, {
      type: 'beds.added', county: i.county, entity: `institution:${i.id}`, data: { institutionId: i.id, beds: beds.map((b) => ({ bedId: b.id, label: b.label, careType: b.careType, tags: b.tags })) },
    }, add.length ? { add, expectedSize: known.stored } : undefined);
    if (r.ok) {
      const offers = await offerBedsFreedAt(i, now);
      return beds.map((b) => bedView(heldIfOffered(b, offers)));
    }
    if ('takenLabel' in r) throw errors.rule('BED_LABEL_EXISTS', `This institution already has a bed labelled "${r.takenLabel}".`, [{ path: 'beds', message: 'label already in use', label: r.takenLabel }]);
    if (attempt >= 5) throw new Error('the institution\'s tags kept changing; try again');
  }
}

/** Every bed of the institution (the seed and benchmarks; the API pages with bedsPage). */
export async function listBeds(p: Principal, institutionId: string, status?: BedStatus) {
  await operableInstitution(p, institutionId);
  const beds = await store.listBeds(institutionId);
  return beds.filter((b) => !status || b.status === status).map(bedView);
}

/** A page of the institution's beds, by label. */
export async function bedsPage(p: Principal, institutionId: string, status: BedStatus | undefined, page: PageRequest): Promise<Page<ReturnType<typeof bedView>>> {
  await operableInstitution(p, institutionId);
  const { items, next } = await store.bedsPage(institutionId, status, page);
  return { items: items.map(bedView), next };
}

export async function setBedStatus(p: Principal, bedId: string, status: 'vacant' | 'reserved' | 'out_of_service', reason: string | undefined, now: Date) {
  const key = store.bedKey(bedId);
  if (!key) throw errors.notFound('Bed');
  const i = await operableInstitution(p, key.institutionId);
  const bed = await store.getBed(bedId);
  if (!bed) throw errors.notFound('Bed');
  if (bed.status === 'occupied') throw errors.rule('BED_OCCUPIED', 'An occupied bed changes status by discharge or transfer.');
  const held = () => errors.rule('BED_HELD', 'This bed is held for an open offer of the waiting list: accept or decline the offer first.', [{ path: 'bedId', message: 'held for an offer', offerId: bed.offerId }]);
  if (bed.offerId) throw held();
  if (bed.status === status) return bedView(bed);
  const at = now.toISOString();
  const ok = await store.setStatus(i, bed, status, bedDelta(bed, bed.status, status), { action: 'status_changed', at, by: by(p), bedId, status, ...(reason && { reason }) }, {
    type: 'bed.status_changed', county: i.county, entity: `bed:${bedId}`, data: { bedId, institutionId: i.id, from: bed.status, to: status },
  });
  if (!ok) {
    const again = await store.getBed(bedId);
    if (again?.offerId) throw errors.rule('BED_HELD', 'This bed was just offered to the next application of the waiting list: accept or decline the offer first.', [{ path: 'bedId', message: 'held for an offer', offerId: again.offerId }]);
    throw errors.rule('BED_OCCUPIED', 'This bed changed meanwhile; read it again.');
  }
  const offers = status === 'vacant' ? await offerBedsFreedAt(i, now) : [];
  return bedView(heldIfOffered({ ...bed, status, updatedAt: at }, offers));
}

/** A page of the institution's change log, newest first (the sort key is the entry's ULID). */
export async function changeLog(p: Principal, institutionId: string, page: PageRequest) {
  await operableInstitution(p, institutionId);
  return store.bedLogPage(institutionId, page);
}

// ---- staff administration (issue 14)

/**
 * A page of the institutions staff may see: their county, or their township; `township` narrows
 * it (403 outside the caller's area), `kind` filters. By township, then id.
 */
export async function listInstitutions(p: Principal, filter: { township?: string | undefined; kind?: Institution['kind'] | undefined }, page: PageRequest): Promise<Page<Institution>> {
  if (filter.township) assertStaffCoversTownship(p, filter.township);
  return store.institutionsPage(p.county, filter.township ?? p.township, filter.kind, page);
}

/** One institution, for staff of its area and its own staff (403 for others, 404 if unknown). */
export async function readInstitution(p: Principal, institutionId: string): Promise<Institution> {
  const i = await store.getInstitution(institutionId);
  if (!i) throw errors.notFound('Institution');
  if (!operatesInstitution(p, i)) throw errors.forbidden('This institution is outside the caller\'s reach.');
  return i;
}

/**
 * Staff change of an institution's name, address, kind or star rating (null clears address or
 * star rating). The vacancy search's copy on the institution's counter changes in the same
 * transaction. Emits `institution.updated` with the fields as they now are (not the address).
 * Idempotent by nature. The township is not changeable here: beds, their counters and the
 * township's totals are filed under it (moving an institution is a separate operation).
 */
export async function patchInstitution(p: Principal, institutionId: string, input: PatchInstitutionInput, now: Date): Promise<Institution> {
  const i = await store.getInstitution(institutionId);
  if (!i) throw errors.notFound('Institution');
  assertStaffCoversTownship(p, i.township);
  const at = now.toISOString();
  const merged = { ...i, updatedAt: at } as Record<string, unknown>;
  for (const [k, v] of Object.entries(input)) {
    if (v === null) delete merged[k];
    else if (v !== undefined) merged[k] = v;
  }
  const next = merged as unknown as Institution;
  const ok = await store.patchInstitution(i, input, at, {
    type: 'institution.updated',
    county: i.county,
    entity: `institution:${i.id}`,
    data: { institutionId: i.id, changed: Object.keys(input), name: next.name, township: next.township, kind: next.kind, ...(next.starRating !== undefined && { starRating: next.starRating }) },
  });
  if (!ok) throw errors.notFound('Institution');
  return next;
}
