import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { OutboxEntry, Settlement } from './outbox-logic.js';

/**
 * The counter's device storage (IndexedDB, through `idb`), and nothing else on the device:
 *
 * - `outbox`: meals recorded and not yet stored by the server (waiting), or refused by it
 *   (rejected, until the site fixes or discards them). An entry holds the card or ID number
 *   typed at the counter only until the server has it.
 * - `discarded`: rejected records the site discarded, with its reason and without the elder's
 *   card or ID number; kept 7 days for the site's own questions, then deleted.
 * - `cache`: what the counter needs to price meals offline, each with the China Standard Time
 *   date it is for: the site (slots and prices), today's subsidy policy, today's booking list
 *   (names, needs and delivery addresses the site may already see), today's totals from the
 *   server, and when the last upload succeeded. Entries of other days are deleted when the page
 *   opens: no roster of personal data stays on the device.
 */
export interface CacheEntry<T = unknown> {
  /** `site`, `policy`, `kitchen`, `serverTotals`, `lastUpload`. */
  readonly key: string;
  /** China Standard Time date the value is for; '' for values with no day (the site's own settings). */
  readonly date: string;
  /** ISO instant it was saved. */
  readonly savedAt: string;
  readonly value: T;
}

export interface Discarded {
  readonly clientRecordId: string;
  readonly siteId: string;
  readonly date: string;
  readonly code: string;
  readonly reason: string;
  readonly discardedAt: string;
}

interface CounterDb extends DBSchema {
  outbox: { key: string; value: OutboxEntry };
  discarded: { key: string; value: Discarded };
  cache: { key: string; value: CacheEntry };
}

const DISCARDED_KEPT_DAYS = 7;

/** The outbox as the uploader sees it (an in-memory one stands in for it in unit tests). */
export interface OutboxStore {
  /** Every entry of the site, waiting and rejected. */
  entries(siteId: string): Promise<OutboxEntry[]>;
  /** Applies a server answer in one transaction: done entries leave, rejected ones are marked. */
  apply(s: Settlement): Promise<void>;
}

export class DeviceStore implements OutboxStore {
  private constructor(private readonly db: IDBPDatabase<CounterDb>) {}

  /** Opens (and on first use creates) the counter's database. */
  static async open(name = 'eldercare-counter'): Promise<DeviceStore> {
    const db = await openDB<CounterDb>(name, 1, {
      upgrade(d) {
        d.createObjectStore('outbox', { keyPath: 'clientRecordId' });
        d.createObjectStore('discarded', { keyPath: 'clientRecordId' });
        d.createObjectStore('cache', { keyPath: 'key' });
      },
    });
    return new DeviceStore(db);
  }

  /** Writes the entry before anything is sent; resolves once it is durable in IndexedDB. */
  async add(e: OutboxEntry): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite', { durability: 'strict' });
    await tx.store.add(e);
    await tx.done;
  }

  async entries(siteId: string): Promise<OutboxEntry[]> {
    return (await this.db.getAll('outbox')).filter((e) => e.siteId === siteId);
  }

  async apply(s: Settlement): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite', { durability: 'strict' });
    for (const d of s.done) void tx.store.delete(d.clientRecordId);
    for (const r of s.rejected) {
      const e = await tx.store.get(r.clientRecordId);
      if (e) void tx.store.put({ ...e, state: 'rejected', error: r.error });
    }
    await tx.done;
  }

  /**
   * A rejected record fixed by the site: the old entry goes and the new one (a new
   * clientRecordId: another record, as far as the server knows) comes in one transaction.
   */
  async replace(oldId: string, next: OutboxEntry): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite', { durability: 'strict' });
    void tx.store.delete(oldId);
    void tx.store.add(next);
    await tx.done;
  }

  /** A rejected record the site gives up on, with its reason; the card or ID number is not kept. */
  async discard(e: OutboxEntry, reason: string, now = new Date()): Promise<void> {
    const tx = this.db.transaction(['outbox', 'discarded'], 'readwrite', { durability: 'strict' });
    void tx.objectStore('outbox').delete(e.clientRecordId);
    void tx.objectStore('discarded').put({ clientRecordId: e.clientRecordId, siteId: e.siteId, date: e.date, code: e.error?.code ?? '', reason, discardedAt: now.toISOString() });
    await tx.done;
  }

  async getCache<T>(key: string, date: string): Promise<T | undefined> {
    const c = await this.db.get('cache', key);
    return c && c.date === date ? (c.value as T) : undefined;
  }

  async putCache<T>(key: string, date: string, value: T, now = new Date()): Promise<void> {
    await this.db.put('cache', { key, date, savedAt: now.toISOString(), value });
  }

  /**
   * Deletes what belongs to earlier days: cached lists and policies not dated `today` (values
   * with no day are kept) and discarded records older than 7 days. Waiting and rejected records
   * are never deleted here: they are meals served, waiting for the server.
   */
  async purge(today: string): Promise<void> {
    const oldest = new Date(Date.parse(`${today}T00:00:00Z`) - DISCARDED_KEPT_DAYS * 86_400_000).toISOString().slice(0, 10);
    const tx = this.db.transaction(['cache', 'discarded'], 'readwrite');
    for (const c of await tx.objectStore('cache').getAll()) if (c.date !== '' && c.date !== today) void tx.objectStore('cache').delete(c.key);
    for (const d of await tx.objectStore('discarded').getAll()) if (d.date < oldest) void tx.objectStore('discarded').delete(d.clientRecordId);
    await tx.done;
  }
}
