import type { OutboxStore } from './outbox.js';
import { nextBatch, settle, type ServingRecordBody, type ServingResult, type Settled } from './outbox-logic.js';

/**
 * Uploads the outbox: batches of at most 200 waiting records, oldest first, until none wait.
 * Each batch's answer is applied in one IndexedDB transaction before the next is read, so a
 * crash at any point leaves each record either still waiting (sent again with the same
 * clientRecordId, answered `duplicate`) or gone because the server has it.
 *
 * One upload at a time across tabs: a Web Lock named for the site (`navigator.locks`); a tab
 * that finds it taken skips, since the holder is already sending the same records. Where the
 * Web Locks API is missing, an in-page flag keeps at least one tab from overlapping itself.
 */
export interface UploadDeps {
  readonly store: OutboxStore;
  readonly siteId: string;
  /** POST /v1/meal-sites/{siteId}/servings; throws on a network failure or a refused request. */
  send(records: ServingRecordBody[]): Promise<readonly ServingResult[]>;
  /** Told after each batch, so the page can show server figures in place of estimates. */
  onSettled?(done: readonly Settled[], rejected: number): void;
  /** Runs `task` holding the lock, or returns undefined at once when another holder has it. */
  withLock?<T>(name: string, task: () => Promise<T>): Promise<T | undefined>;
}

export interface UploadOutcome {
  /** False when another tab held the lock. */
  readonly ran: boolean;
  readonly requests: number;
  readonly done: number;
  readonly rejected: number;
}

let busy = false;
/** The browser's Web Lock, if-available; an in-page flag where there is none. */
export async function browserLock<T>(name: string, task: () => Promise<T>): Promise<T | undefined> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request(name, { ifAvailable: true }, async (lock) => (lock ? task() : undefined));
  if (busy) return undefined;
  busy = true;
  try {
    return await task();
  } finally {
    busy = false;
  }
}

/** Sends every waiting record of the site, batch by batch; stops at the first failed request (the records stay waiting). */
export async function uploadWaiting(d: UploadDeps): Promise<UploadOutcome> {
  const lock = d.withLock ?? browserLock;
  const out = await lock(`counter-upload:${d.siteId}`, async () => {
    let requests = 0;
    let done = 0;
    let rejected = 0;
    const tried = new Set<string>();
    for (;;) {
      // Records the server left unanswered are not sent again in the same run (no loop on a bad answer).
      const batch = nextBatch((await d.store.entries(d.siteId)).filter((e) => !tried.has(e.clientRecordId)), d.siteId);
      if (batch.length === 0) break;
      for (const e of batch) tried.add(e.clientRecordId);
      requests++;
      const results = await d.send(batch.map((e) => e.record));
      const s = settle(batch, results);
      await d.store.apply(s);
      done += s.done.length;
      rejected += s.rejected.length;
      d.onSettled?.(s.done, s.rejected.length);
    }
    return { ran: true, requests, done, rejected };
  });
  return out ?? { ran: false, requests: 0, done: 0, rejected: 0 };
}
