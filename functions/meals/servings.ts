import type { Principal } from '#shared/auth/principal.js';
import { AppError, errors, type ErrorCode, type ErrorDetail, type RecordErrorCode } from '#shared/http/errors.js';
import { parseIdNumber } from '#shared/id-number.js';
import { servingRecord, type ServingRecordInput, type ServingView } from '#shared/schemas/meals.js';
import type * as z from 'zod/mini';
import type { servingResult } from '#shared/schemas/meals.js';
import type { Page, PageRequest } from '#shared/pagination.js';
import { cstDate } from '#shared/time.js';
import { CLOCK_DRIFT_MS } from '#shared/dates.js';
import { piiVault } from '../lib/pii.js';
import { metrics } from '../lib/powertools.js';
import type { Elder } from '../registry/domain/elder.js';
import * as registry from '../registry/store.js';
import { assertOperatesSite } from './access.js';
import type { Booking, MealSite, PolicyVersion, Serving } from './domain/model.js';
import { isSameRecord, recordDigest, type RecordContent } from './domain/record-content.js';
import { slotAt } from './domain/slot-time.js';
import { quoteSubsidy, type Slot, type SubsidyQuote } from './domain/subsidy.js';
import { eligibilityOn } from './eligibility.js';
import { deceasedOn } from '../registry/domain/death.js';
import { operableSite } from './sites.js';
import * as store from './store/index.js';

type Result = z.input<typeof servingResult>;

/** Devices upload late when they were offline; older records need staff to look at them. */
export const LATE_UPLOAD_DAYS = 7;
/** Device clocks drift; a record a little in the future is still accepted. */
const CLOCK_SKEW_MS = CLOCK_DRIFT_MS;
const PARALLEL = 8;

export const servingView = (s: Serving): ServingView => ({
  id: s.id,
  status: s.status,
  siteId: s.siteId,
  clientRecordId: s.clientRecordId,
  elderId: s.elderId,
  date: s.date,
  slot: s.slot,
  mode: s.mode,
  servedAt: s.servedAt,
  verifiedBy: s.verifiedBy,
  priceFen: s.priceFen,
  subsidyFen: s.subsidyFen,
  payFen: s.payFen,
  subsidyBasis: s.subsidyBasis,
  ...(s.policyVersion && { policyVersion: s.policyVersion }),
  categories: s.categories,
  age: s.age,
  ...(s.capabilityLevel !== undefined && { capabilityLevel: s.capabilityLevel }),
  ...(s.bookingId && { bookingId: s.bookingId }),
  recordedAt: s.recordedAt,
  ...(s.voided && { voided: s.voided }),
});

const duplicate = (clientRecordId: string, s: Serving): Result => ({ clientRecordId, status: 'duplicate', servingId: s.id, priceFen: s.priceFen, subsidyFen: s.subsidyFen, payFen: s.payFen });

const rejected = (clientRecordId: string, code: ErrorCode, message: string, details?: ErrorDetail[]): Result => ({
  clientRecordId,
  status: 'rejected',
  error: { code, message, ...(details && { details: details as never }) },
});

const conflict = (clientRecordId: string, message: string, existing?: Serving): Result =>
  rejected(clientRecordId, 'RECORD_ID_CONFLICT', message, [{ path: 'clientRecordId', message: 'already names another record at this site', ...(existing && { servingId: existing.id }) }]);

/**
 * The answer for a record whose key is already stored: `duplicate` when it is the same record
 * sent again, `RECORD_ID_CONFLICT` when the device reused the id for another record (the stored
 * one is left as it is, and the device learns that this meal was not recorded).
 */
const answerStored = (clientRecordId: string, existing: Serving, rec: Valid): Result =>
  isSameRecord(existing, rec.content, rec.digest)
    ? duplicate(clientRecordId, existing)
    : conflict(clientRecordId, 'This clientRecordId already names another record at this site; this record was not recorded and the first is unchanged.', existing);

/** Per-batch memo of reads that many records share (policy per date, ID-number fingerprints). */
class BatchReads {
  private policies = new Map<string, Promise<PolicyVersion | undefined>>();
  private fingerprints = new Map<string, Promise<string>>();
  constructor(private readonly county: string) {}
  policy(date: string) {
    let p = this.policies.get(date);
    if (!p) this.policies.set(date, (p = store.policyInForce(this.county, date)));
    return p;
  }
  fingerprint(normalizedIdNumber: string) {
    let f = this.fingerprints.get(normalizedIdNumber);
    if (!f) this.fingerprints.set(normalizedIdNumber, (f = piiVault().fingerprint(normalizedIdNumber)));
    return f;
  }
}

/** A record that passed validation, with its serving key and the digest of its content. */
interface Valid {
  readonly ok: true;
  readonly r: ServingRecordInput;
  readonly servedAt: Date;
  readonly date: string;
  readonly slot: Slot;
  /** The serving id: site, China Standard Time date, clientRecordId. */
  readonly id: string;
  readonly content: RecordContent;
  readonly digest: string;
  /** The ID number's fingerprint, when the device identified the elder by ID number. */
  readonly fingerprint?: string;
}
type Prepared = Valid | { readonly ok: false; readonly issues: ErrorDetail[] };

/** Validates a record and works out its key and content digest (an ID number is fingerprinted once, here). */
async function prepare(site: Pick<MealSite, 'id' | 'township'>, parsed: ReturnType<typeof servingRecord.safeParse>, reads: BatchReads, today: string): Promise<Prepared> {
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  const r = parsed.data;
  const servedAt = new Date(r.servedAt);
  const date = cstDate(servedAt);
  const slot = r.slot ?? slotAt(servedAt);
  let fingerprint: string | undefined;
  let identity: RecordContent['identity'];
  if (r.elderId) identity = ['elderId', r.elderId];
  else if (r.cardNo) identity = ['cardNo', r.cardNo];
  else {
    const check = parseIdNumber(r.idNumber!, today);
    // The schema checked the number; one that fails today's check only at a date line is
    // fingerprinted as sent, which still compares equal to itself.
    fingerprint = await reads.fingerprint(check.ok ? check.facts.normalized : r.idNumber!.trim().toUpperCase());
    identity = ['idNumber', fingerprint];
  }
  const content: RecordContent = { identity, servedAt: servedAt.toISOString(), slot, mode: r.mode, verifiedBy: r.verifiedBy, ...(r.bookingId && { bookingId: r.bookingId }) };
  return { ok: true, r, servedAt, date, slot, id: store.servingId(site, date, r.clientRecordId), content, digest: recordDigest(content), ...(fingerprint && { fingerprint }) };
}

async function resolveElder(r: { elderId?: string; idNumber?: string; cardNo?: string }, county: string, today: string, fingerprint?: string): Promise<Elder | string> {
  let elder: Elder | undefined;
  if (r.elderId) elder = await registry.getElder(r.elderId);
  else if (r.cardNo) elder = await registry.findElderByCard(county, r.cardNo);
  else if (r.idNumber) {
    const check = parseIdNumber(r.idNumber, today);
    if (!check.ok) return `idNumber: ${check.reason}`;
    elder = await registry.findElderByFingerprint(fingerprint ?? (await piiVault().fingerprint(check.facts.normalized)));
  }
  return elder && elder.county === county ? elder : 'no elder with this id, card or ID number in this county';
}

async function processRecord(p: Principal, site: MealSite, raw: unknown, rec: Prepared, reads: BatchReads, now: Date): Promise<Result> {
  const clientRecordId = String((raw as { clientRecordId?: unknown }).clientRecordId);
  if (!rec.ok) return rejected(clientRecordId, 'VALIDATION_FAILED', 'This record is not valid.', rec.issues);
  const { r, servedAt, date, slot, id } = rec;
  const today = cstDate(now);

  // A record already stored is answered from what is stored whatever else has changed since
  // (late rules, an elder reported deceased meanwhile): a resent batch must never turn into
  // rejections; another record under its id is a conflict.
  const refuse = async (code: RecordErrorCode, message: string, path?: string, details?: ErrorDetail[]): Promise<Result> => {
    const existing = await store.getServing(id);
    if (existing) return answerStored(clientRecordId, existing, rec);
    return rejected(clientRecordId, code, message, details ?? (path ? [{ path, message }] : undefined));
  };

  if (servedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return refuse('SERVED_AT_IN_FUTURE', 'servedAt is in the future.', 'servedAt');
  if (now.getTime() - servedAt.getTime() > LATE_UPLOAD_DAYS * 86_400_000) return refuse('TOO_LATE', `servedAt is more than ${LATE_UPLOAD_DAYS} days ago; ask county staff to record it.`, 'servedAt');
  const cfg = site.slots[slot];
  if (!cfg) return refuse('SLOT_NOT_OFFERED', `This site does not serve ${slot}.`, 'slot');
  if (r.mode === 'delivery' && !site.delivery) return refuse('DELIVERY_NOT_OFFERED', 'This site does not deliver.', 'mode');
  const elder = await resolveElder(r, site.county, today, rec.fingerprint);
  if (typeof elder === 'string') return refuse('ELDER_NOT_FOUND', elder, r.elderId ? 'elderId' : r.cardNo ? 'cardNo' : 'idNumber');
  // A death is a date: a meal served before the date of death was the living elder's and is
  // paid for, however late the tablet uploads it; one on or after that date is refused.
  const dead = deceasedOn(elder, date, 'servedAt');
  if (dead) return refuse('ELDER_DECEASED', dead.message, undefined, [dead.detail]);

  // The booking this meal fulfils, if any: the one named, or the elder's booking here.
  const candidateId = r.bookingId ?? (await store.activeBookingId(elder.id, date, slot));
  let booking: Booking | undefined = candidateId ? await store.getBooking(candidateId) : undefined;
  if (booking && !(booking.status === 'booked' && booking.siteId === site.id && booking.elderId === elder.id && booking.date === date && booking.slot === slot)) booking = undefined;

  const policy = await reads.policy(date);
  const eligibility = eligibilityOn(elder, date);
  const priceFen = booking?.priceFen ?? cfg.priceFen;
  let quote: SubsidyQuote = quoteSubsidy(policy, eligibility, priceFen, r.mode);
  for (let attempt = 0; attempt < 4; attempt++) {
    const serving: Serving = {
      id,
      status: 'recorded',
      county: site.county,
      township: site.township,
      siteId: site.id,
      clientRecordId: r.clientRecordId,
      elderId: elder.id,
      date,
      slot,
      mode: r.mode,
      servedAt: servedAt.toISOString(),
      verifiedBy: r.verifiedBy,
      priceFen,
      subsidyFen: quote.subsidyFen,
      payFen: quote.payFen,
      subsidyBasis: quote.basis,
      ...(policy && { policyVersion: policy.version }),
      ...(policy?.siteSubsidyPerDinerFen !== undefined && { siteSubsidyPerDinerFen: policy.siteSubsidyPerDinerFen }),
      categories: [...elder.categories],
      age: eligibility.age,
      ...(elder.capabilityLevel !== undefined && { capabilityLevel: elder.capabilityLevel }),
      ...(booking && { bookingId: booking.id }),
      digest: rec.digest,
      recordedAt: now.toISOString(),
      recordedBy: p.sub,
    };
    const out = await store.insertServing(serving, {
      type: 'serving.recorded',
      county: site.county,
      entity: `serving:${id}`,
      data: { servingId: id, siteId: site.id, elderId: elder.id, date, slot, mode: r.mode, priceFen, subsidyFen: quote.subsidyFen, verifiedBy: r.verifiedBy, ...(booking && { bookingId: booking.id }) },
    }, { ...(policy?.dailyCapFen !== undefined && { dailyCapFen: policy.dailyCapFen }), ...(booking && { booking }) });
    if (out.ok) {
      metrics.addMetric('ServingsRecorded', 'Count', 1);
      if (quote.subsidyFen > 0) metrics.addMetric('SubsidisedMeals', 'Count', 1);
      return { clientRecordId, status: 'accepted', servingId: id, priceFen, subsidyFen: quote.subsidyFen, payFen: quote.payFen };
    }
    switch (out.reason) {
      case 'duplicate':
        return answerStored(clientRecordId, out.existing, rec);
      case 'slot_already_subsidised':
        // Accepted at full price: the meal happened, the subsidy was already paid elsewhere.
        quote = { subsidyFen: 0, payFen: priceFen, basis: 'slot_already_subsidised' };
        break;
      case 'cap':
        quote = quoteSubsidy(policy, eligibility, priceFen, r.mode, out.usedTodayFen);
        break;
      case 'booking_changed':
        booking = undefined;
        break;
    }
  }
  throw new Error('serving could not be recorded after retries');
}

export async function recordServings(p: Principal, siteId: string, records: readonly unknown[], now: Date): Promise<Result[]> {
  const site = await operableSite(p, siteId);
  if (p.role !== 'site') throw errors.forbidden('Only the site records its servings.');
  const reads = new BatchReads(site.county);
  const results: Result[] = new Array(records.length);
  const today = cstDate(now);
  const idOf = (i: number) => String((records[i] as { clientRecordId: unknown }).clientRecordId);
  // Each record is validated once, with its key and content digest: for the checks here and
  // for processing below.
  const prepared = await Promise.all(records.map((raw) => prepare(site, servingRecord.safeParse(raw), reads, today)));
  // One id, one record within a request too: a later record that reuses an earlier one's id
  // for other content is refused, whatever its date (the date is part of the serving's key, so
  // the table alone would take it for a new record).
  const firstOfId = new Map<string, Valid>();
  prepared.forEach((rec, i) => {
    if (!rec.ok) return;
    const first = firstOfId.get(rec.r.clientRecordId);
    if (!first) firstOfId.set(rec.r.clientRecordId, rec);
    else if (first.digest !== rec.digest) results[i] = conflict(idOf(i), 'This clientRecordId names another record earlier in this request; this record was not recorded.');
  });
  // Devices resend whole batches after a timeout: answer the records already stored first,
  // from one BatchGet: the same content is a duplicate, other content a conflict.
  const stored = await store.existingServings(prepared.flatMap((rec, i) => (rec.ok && !results[i] ? [rec.id] : [])));
  prepared.forEach((rec, i) => {
    const existing = rec.ok && !results[i] ? stored.get(rec.id) : undefined;
    if (rec.ok && existing) results[i] = answerStored(idOf(i), existing, rec);
  });
  // Records naming the same elder run in request order (the first meal of a slot gets the
  // subsidy, as the canteen expects); different elders run in parallel.
  const groups = new Map<string, number[]>();
  records.forEach((raw, i) => {
    if (results[i]) return;
    const r = raw as { elderId?: unknown; cardNo?: unknown; idNumber?: unknown };
    const key = String(r.elderId ?? r.cardNo ?? r.idNumber ?? `#${i}`).toUpperCase();
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const queue = [...groups.values()];
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const i of group) {
        try {
          results[i] = await processRecord(p, site, records[i], prepared[i]!, reads, now);
        } catch (e) {
          // One record's failure never fails the others; the device retries it and the
          // clientRecordId keeps that safe.
          if (e instanceof AppError) results[i] = rejected(String((records[i] as { clientRecordId?: unknown }).clientRecordId), e.code, e.message);
          else throw e;
        }
      }
    }
  }));
  return results;
}

/**
 * A page of a site's servings on a date, by clientRecordId: the order of the county-day
 * partition's keys, so the page is read in DynamoDB (a device that numbers its records lists
 * them in the order it recorded them).
 */
export async function listServings(p: Principal, siteId: string, date: string, page: PageRequest): Promise<Page<ServingView>> {
  const site = await operableSite(p, siteId);
  const { items, next } = await store.siteServingsPage(site, date, page);
  return { items: items.map(servingView), next };
}

export async function voidServing(p: Principal, servingId: string, reason: string, now: Date): Promise<ServingView> {
  const s = await store.getServing(servingId);
  if (!s) throw errors.notFound('Serving');
  assertOperatesSite(p, { id: s.siteId, county: s.county, township: s.township });
  if (s.status === 'voided') throw errors.rule('ALREADY_VOIDED', 'This serving is already voided.');
  const voided = { at: now.toISOString(), by: `${p.role}:${p.sub}`, reason };
  const r = await store.voidServing(s, voided, { type: 'serving.voided', county: s.county, entity: `serving:${s.id}`, data: { servingId: s.id, subsidyFen: s.subsidyFen, reason } });
  if (!r.ok) throw errors.rule('ALREADY_VOIDED', 'This serving was voided meanwhile.');
  return servingView({ ...s, status: 'voided', voided });
}
