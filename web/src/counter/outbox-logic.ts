import type { Slot } from '#functions/meals/domain/subsidy.js';

/**
 * The counter's outbox, as plain data and pure functions (the IndexedDB side is outbox.ts).
 * Every meal served is first an entry here, with a ULID `clientRecordId` made on the device;
 * an entry leaves only when the server has answered `accepted` or `duplicate` for it, so a
 * crash or reload mid-upload resends the same ids and the server answers `duplicate`: nothing
 * is lost and nothing is counted twice.
 */

/** The most records the API takes in one request (POST /v1/meal-sites/{siteId}/servings). */
export const MAX_BATCH = 200;

/** Money of one meal, in fen. `subsidyFen`/`payFen` are absent when they cannot be estimated (an unknown card offline). */
export interface Figures {
  readonly priceFen: number;
  readonly subsidyFen?: number;
  readonly payFen?: number;
}

/** Why an estimate is what it is: the booking's own figures, the age rules only, a second meal in the slot, or not known before upload. */
export type EstimateBasis = 'booking' | 'age' | 'repeat' | 'unknown';

/** One record as sent: exactly one of elderId, cardNo and idNumber (the server resolves the last two). */
export interface ServingRecordBody {
  readonly clientRecordId: string;
  readonly elderId?: string;
  readonly cardNo?: string;
  readonly idNumber?: string;
  /** ISO 8601 instant, taken from the device's clock when the meal was confirmed. */
  readonly servedAt: string;
  readonly slot: Slot;
  readonly mode: 'dine_in' | 'pickup' | 'delivery';
  readonly verifiedBy: 'card' | 'id_card' | 'manual';
  readonly bookingId?: string;
}

export interface RecordError {
  readonly code: string;
  /** The server's English message (for support); the page shows messages.ts's sentence for `code`. */
  readonly message: string;
}

export interface OutboxEntry {
  readonly clientRecordId: string;
  readonly siteId: string;
  /** China Standard Time date of `servedAt`. */
  readonly date: string;
  readonly record: ServingRecordBody;
  readonly state: 'waiting' | 'rejected';
  /**
   * What the counter shows for the elder: a masked ID number, the card number, or the name from
   * today's booking list. Never a full ID number (that is only in `record`, until upload).
   */
  readonly label: string;
  /** Same elder, same key: `card:SQ1`, `id:<normalised number>`, `elder:<id>` (for "second meal in the slot"). */
  readonly identity: string;
  readonly estimate: Figures & { readonly basis: EstimateBasis };
  readonly error?: RecordError;
}

/** A server answer for one record. */
export interface ServingResult {
  readonly clientRecordId: string;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly servingId?: string;
  readonly priceFen?: number;
  readonly subsidyFen?: number;
  readonly payFen?: number;
  readonly error?: RecordError;
}

/**
 * The next request: the oldest waiting entries of one site (ULIDs sort by time), at most `max`.
 * Rejected entries wait for the site to fix or discard them and are never resent as they are.
 */
export function nextBatch(entries: readonly OutboxEntry[], siteId: string, max = MAX_BATCH): OutboxEntry[] {
  return entries
    .filter((e) => e.siteId === siteId && e.state === 'waiting')
    .sort((a, b) => (a.clientRecordId < b.clientRecordId ? -1 : a.clientRecordId > b.clientRecordId ? 1 : 0))
    .slice(0, Math.min(max, MAX_BATCH));
}

export interface Settled {
  readonly clientRecordId: string;
  readonly servingId: string;
  readonly figures: Required<Figures>;
  readonly status: 'accepted' | 'duplicate';
}

/** What to do with a batch once the server answered. */
export interface Settlement {
  /** Stored on the server: these leave the outbox. */
  readonly done: Settled[];
  /** Refused: they stay, marked rejected, with the server's code. */
  readonly rejected: { readonly clientRecordId: string; readonly error: RecordError }[];
  /** Sent but not in the answer (a truncated or foreign answer): they stay waiting and go again. */
  readonly unanswered: string[];
}

/**
 * Matches the answer to the batch by `clientRecordId` (the API answers in request order, but
 * the id is what binds). An answer that names a record not sent is ignored; an accepted or
 * duplicate answer without a servingId is treated as unanswered, so it is sent again rather
 * than dropped.
 */
export function settle(batch: readonly OutboxEntry[], results: readonly ServingResult[]): Settlement {
  const byId = new Map(results.map((r) => [r.clientRecordId, r]));
  const out: { done: Settled[]; rejected: Settlement['rejected'][number][]; unanswered: string[] } = { done: [], rejected: [], unanswered: [] };
  for (const e of batch) {
    const r = byId.get(e.clientRecordId);
    if (r && (r.status === 'accepted' || r.status === 'duplicate') && r.servingId) {
      const priceFen = r.priceFen ?? e.estimate.priceFen;
      const subsidyFen = r.subsidyFen ?? 0;
      out.done.push({ clientRecordId: e.clientRecordId, servingId: r.servingId, status: r.status, figures: { priceFen, subsidyFen, payFen: r.payFen ?? priceFen - subsidyFen } });
    } else if (r?.status === 'rejected') {
      out.rejected.push({ clientRecordId: e.clientRecordId, error: r.error ?? { code: 'UNEXPECTED', message: 'rejected without a reason' } });
    } else out.unanswered.push(e.clientRecordId);
  }
  return out;
}

/** Sums for the status line: meals, subsidy and pay in fen; `estimated` counts meals whose money is not yet the server's. */
export interface Totals {
  readonly meals: number;
  readonly subsidyFen: number;
  readonly payFen: number;
  readonly waiting: number;
}

/**
 * Today's totals for the site: the server's recorded (not voided) servings plus the entries still
 * waiting, at their estimates (an unknown estimate counts the meal at full price with no subsidy
 * until the server says otherwise). Records already on the server are never counted twice: a
 * waiting entry whose id the server list already holds is skipped.
 */
export function todaysTotals(
  server: readonly { clientRecordId: string; status: string; subsidyFen: number; payFen: number }[],
  waiting: readonly OutboxEntry[],
): Totals {
  let meals = 0;
  let subsidyFen = 0;
  let payFen = 0;
  const known = new Set<string>();
  for (const s of server) {
    known.add(s.clientRecordId);
    if (s.status !== 'recorded') continue;
    meals++;
    subsidyFen += s.subsidyFen;
    payFen += s.payFen;
  }
  let n = 0;
  for (const e of waiting) {
    if (e.state !== 'waiting' || known.has(e.clientRecordId)) continue;
    n++;
    meals++;
    subsidyFen += e.estimate.subsidyFen ?? 0;
    payFen += e.estimate.payFen ?? e.estimate.priceFen;
  }
  return { meals, subsidyFen, payFen, waiting: n };
}
