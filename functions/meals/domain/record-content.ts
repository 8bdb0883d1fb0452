import { contentDigest } from '../../lib/digest.js';
import type { Serving } from './model.js';
import type { Mode, Slot } from './subsidy.js';

/**
 * What a device said about one meal, the thing its `clientRecordId` names. Two records with the
 * same id are the same record exactly when these are equal:
 * - the elder as the device identified them: the kind (`elderId`, `cardNo` or `idNumber`) and
 *   the value (an ID number by its keyed fingerprint only: it is never kept in clear, and a
 *   plain hash of an 18-digit number with a known structure could be brute-forced);
 * - `servedAt` as an instant (the same moment written with another offset is the same);
 * - the slot the meal counts in (as sent, or inferred from `servedAt`: the same either way);
 * - mode, how the elder was verified, and the booking the device named (if any).
 * Fields the server decides (price, subsidy, the booking it matched) are not content: a resend
 * after a policy change is still the same record.
 */
export interface RecordContent {
  readonly identity: readonly ['elderId' | 'cardNo' | 'idNumber', string];
  /** ISO 8601 in UTC with milliseconds, as `Date.toISOString` writes it. */
  readonly servedAt: string;
  readonly slot: Slot;
  readonly mode: Mode;
  readonly verifiedBy: string;
  readonly bookingId?: string;
}

/**
 * The digest kept on the serving (its `digest` attribute): the first 64 bits of SHA-256 over the
 * content, after a version prefix so the content's definition can change later. It is only
 * ever compared with the one record stored under the same key, so 64 bits leave a chance of
 * 2^-64 of taking another record for a resend; and it keeps the serving item small (19 bytes
 * with its name: items are billed per started KB, and a serving is about 1 KB). No personal
 * data in clear: the only personal value in it, an ID number, enters as its fingerprint.
 */
export const recordDigest = (c: RecordContent): string =>
  `1.${contentDigest([c.identity[0], c.identity[1], c.servedAt, c.slot, c.mode, c.verifiedBy, c.bookingId ?? null], 8)}`;

/**
 * Whether a stored serving is the record a device sends again (a duplicate) rather than another
 * record under the same id (a conflict). Servings stored before digests were kept are compared
 * on what they keep: time, slot, mode, verification, and the elder when the device named them
 * by id.
 */
export function isSameRecord(stored: Pick<Serving, 'digest' | 'servedAt' | 'slot' | 'mode' | 'verifiedBy' | 'elderId'>, sent: RecordContent, digest: string): boolean {
  if (stored.digest !== undefined) return stored.digest === digest;
  return stored.servedAt === sent.servedAt && stored.slot === sent.slot && stored.mode === sent.mode && stored.verifiedBy === sent.verifiedBy
    && (sent.identity[0] !== 'elderId' || stored.elderId === sent.identity[1]);
}
