import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

/**
 * Opaque ids: a short prefix naming the kind of record (so a misplaced id is obvious in a log)
 * and a ULID, which sorts by creation time.
 */
export const newId = (prefix: string, now = Date.now()): string => `${prefix}_${next(now).toLowerCase()}`;

/** Event ids are bare ULIDs: time-ordered, which the feed and reconciliation rely on. */
export const newEventId = (now = Date.now()): string => next(now);
