import { computed, signal } from '@preact/signals';
import { monotonicFactory } from 'ulid';
import type { Mode, Slot, SubsidyPolicy } from '#functions/meals/domain/subsidy.js';
import { parseIdNumber } from '#shared/id-number.js';
import { servingRecord } from '#shared/schemas/meals.js';
import { ageOn, cstDate } from '#shared/time.js';
import { ApiError, call, type Answer } from '../api.js';
import { tokenFresh } from '../auth.js';
import { estimate } from './estimate.js';
import { DeviceStore } from './outbox.js';
import { type Figures, type OutboxEntry, type ServingRecordBody, type Settled, todaysTotals, type EstimateBasis } from './outbox-logic.js';
import { inferSlot, offeredSlots } from './slot.js';
import { uploadWaiting } from './uploader.js';

/**
 * The counter's state and actions, so the page only says "record this" and reads "what is
 * waiting". Every meal is written to the device's outbox first (outbox.ts), then uploaded when
 * the browser is online: at once, on the `online` event, every 30 s while records wait, and on
 * the button. Nothing here waits for the network before the confirmation is on screen.
 */
export type Site = Answer<'getSite'>;
export type Kitchen = Answer<'kitchenList'>;
export type ElderMinimal = Extract<Answer<'lookupElder'>, { id: string }>;
type ServerServing = Answer<'listServings'>['items'][number];

/** What the big confirmation panel shows: the last meal recorded, or one waiting for the tap on 确认用餐. */
export interface Shown {
  readonly clientRecordId?: string;
  readonly label: string;
  readonly elder?: ElderMinimal;
  /** From the day's booking list (name and dietary needs), when picked from it. */
  readonly booked?: { elderName: string; dietaryNeeds: readonly string[] };
  readonly slot: Slot;
  readonly mode: Mode;
  readonly figures: Figures;
  readonly basis: EstimateBasis | 'server';
  readonly state: 'preview' | 'waiting' | 'uploaded' | 'rejected';
  readonly errorCode?: string;
  /** performance.now() of the Enter that recorded it (a card read), for the bench's measure. */
  readonly enteredAt?: number;
}

const UPLOAD_EVERY_MS = 30_000;
const ulid = monotonicFactory();

export const online = signal(typeof navigator === 'undefined' ? true : navigator.onLine);
export const site = signal<Site | undefined>(undefined);
export const policy = signal<SubsidyPolicy | undefined>(undefined);
export const kitchen = signal<Kitchen | undefined>(undefined);
export const entries = signal<OutboxEntry[]>([]);
export const serverServings = signal<ServerServing[]>([]);
export const lastUpload = signal<string | undefined>(undefined);
export const uploading = signal(false);
export const shown = signal<Shown | undefined>(undefined);
/** Chosen by the site; undefined means "from the clock". */
export const slotOverride = signal<Slot | undefined>(undefined);
export const mode = signal<Mode>('dine_in');
/** Ticks every 30 s so the inferred slot follows the clock. */
export const clock = signal(Date.now());
/** Held for the preview waiting for 确认用餐 (never stored: it becomes an outbox entry or nothing). */
let pending: { record: Omit<ServingRecordBody, 'clientRecordId' | 'servedAt'>; identity: string; label: string; shown: Shown } | undefined;

export const today = computed(() => cstDate(new Date(clock.value)));
export const slot = computed<Slot>(() => slotOverride.value ?? inferSlot(new Date(clock.value), site.value ? offeredSlots(site.value) : []));
export const waiting = computed(() => entries.value.filter((e) => e.state === 'waiting'));
export const rejected = computed(() => entries.value.filter((e) => e.state === 'rejected'));
/**
 * The server's totals for today as last read (numbers only, no one's data), kept on the device
 * for the day: after a reload with no network the header still counts what was uploaded before.
 */
const lastServerTotals = signal<{ meals: number; subsidyFen: number; payFen: number } | undefined>(undefined);
export const totals = computed(() => {
  const mine = entries.value.filter((e) => e.date === today.value);
  const kept = lastServerTotals.value;
  if (serverServings.value.length === 0 && kept) {
    const w = todaysTotals([], mine);
    return { meals: kept.meals + w.meals, subsidyFen: kept.subsidyFen + w.subsidyFen, payFen: kept.payFen + w.payFen, waiting: w.waiting };
  }
  return todaysTotals(serverServings.value, mine);
});

/** Other tabs of this counter on this device: told when the outbox changed, so none shows stale records. */
let tabs: BroadcastChannel | undefined;
const tellOtherTabs = () => tabs?.postMessage('outbox-changed');

let store: DeviceStore | undefined;
let siteId = '';
/** Cards this session has seen resolved online: card -> elder id (memory only). */
const cardElder = new Map<string, string>();

async function refreshEntries(): Promise<void> {
  if (store) entries.value = (await store.entries(siteId)).sort((a, b) => (a.clientRecordId < b.clientRecordId ? 1 : -1));
}

/** Opens the device store, reads what is cached for today, then refreshes from the API when it can. */
export async function start(forSite: string): Promise<() => void> {
  siteId = forSite;
  store = await DeviceStore.open();
  await store.purge(today.value);
  const [s, p, k, last, kept] = await Promise.all([
    store.getCache<Site>(`site:${siteId}`, ''),
    store.getCache<SubsidyPolicy>('policy', today.value),
    store.getCache<Kitchen>(`kitchen:${siteId}`, today.value),
    store.getCache<string>(`lastUpload:${siteId}`, ''),
    store.getCache<{ meals: number; subsidyFen: number; payFen: number }>(`totals:${siteId}`, today.value),
  ]);
  site.value = s;
  policy.value = p;
  kitchen.value = k;
  lastUpload.value = last;
  lastServerTotals.value = kept;
  await refreshEntries();
  // Another tab uploaded or recorded: read the outbox (and the last upload) again.
  tabs = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(`counter:${siteId}`);
  const onOtherTab = async () => {
    await refreshEntries();
    lastUpload.value = await store?.getCache<string>(`lastUpload:${siteId}`, '');
    await loadServings().catch(() => undefined);
  };
  tabs?.addEventListener('message', () => void onOtherTab());
  const onOnline = () => {
    online.value = true;
    void refresh();
  };
  const onOffline = () => {
    online.value = false;
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  const timer = setInterval(() => {
    clock.value = Date.now();
    if (waiting.value.length > 0) void upload();
  }, UPLOAD_EVERY_MS);
  void refresh();
  return () => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    clearInterval(timer);
    tabs?.close();
    tabs = undefined;
  };
}

const canReach = () => online.value && tokenFresh();

/** Uploads what waits, then reloads the site, policy, booking list and today's servings. */
export async function refresh(): Promise<void> {
  if (!canReach()) return;
  await upload();
  await Promise.all([loadReference(), loadServings()]);
}

async function loadReference(): Promise<void> {
  const d = today.value;
  const [s, p, k] = await Promise.allSettled([
    call('getSite', { params: { siteId } }),
    call('getPolicy', { query: { date: d } }),
    call('kitchenList', { params: { siteId }, query: { date: d } }),
  ]);
  if (s.status === 'fulfilled') {
    site.value = s.value;
    await store?.putCache(`site:${siteId}`, '', s.value);
  }
  if (p.status === 'fulfilled') {
    policy.value = p.value;
    await store?.putCache('policy', d, p.value);
  }
  if (k.status === 'fulfilled') {
    kitchen.value = k.value;
    await store?.putCache(`kitchen:${siteId}`, d, k.value);
  }
}

/** Today's servings of the site, every page (kept in memory only: they carry elders' ids and categories). */
export async function loadServings(): Promise<void> {
  if (!canReach()) return;
  const items: ServerServing[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('listServings', { params: { siteId }, query: { date: today.value, limit: 500, ...(nextToken && { nextToken }) } });
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  serverServings.value = items;
  const { meals, subsidyFen, payFen } = todaysTotals(items, []);
  lastServerTotals.value = { meals, subsidyFen, payFen };
  await store?.putCache(`totals:${siteId}`, today.value, lastServerTotals.value);
}

/** Uploads every waiting record (one tab at a time); the confirmation panel then shows the server's figures. */
let again = false;
export async function upload(): Promise<void> {
  // A record made while an upload runs is sent by a second run straight after, not 30 s later.
  if (uploading.value) {
    again = true;
    return;
  }
  if (!store || !canReach()) return;
  if (!(await store.entries(siteId)).some((e) => e.state === 'waiting')) return;
  uploading.value = true;
  try {
    const out = await uploadWaiting({
      store,
      siteId,
      send: async (records) => (await call('recordServings', { params: { siteId }, body: { records: records as never } })).results as never,
      onSettled: (done) => applyToShown(done),
    });
    if (out.ran && out.requests > 0) {
      const at = new Date().toISOString();
      lastUpload.value = at;
      await store.putCache(`lastUpload:${siteId}`, '', at);
      await loadServings().catch(() => undefined);
    }
  } catch {
    // A failed request leaves every record waiting; the next trigger sends them again.
  } finally {
    uploading.value = false;
    await refreshEntries();
    tellOtherTabs();
    const cur = shown.value;
    const e = cur?.clientRecordId && entries.value.find((x) => x.clientRecordId === cur.clientRecordId);
    if (cur && e && e.state === 'rejected') shown.value = { ...cur, state: 'rejected', errorCode: e.error?.code };
    if (again) {
      again = false;
      void upload();
    }
  }
}

function applyToShown(done: readonly Settled[]): void {
  const cur = shown.value;
  const mine = cur?.clientRecordId && done.find((d) => d.clientRecordId === cur.clientRecordId);
  if (cur && mine) shown.value = { ...cur, figures: mine.figures, basis: 'server', state: 'uploaded' };
}

/** Whether this elder already has a meal in this slot today, as far as the device knows. */
function servedBefore(identity: string, s: Slot, d: string): boolean {
  const elderId = identity.startsWith('elder:') ? identity.slice(6) : identity.startsWith('card:') ? cardElder.get(identity.slice(5)) : undefined;
  if (entries.value.some((e) => e.state === 'waiting' && e.date === d && e.record.slot === s && e.identity === identity)) return true;
  return !!elderId && serverServings.value.some((x) => x.status === 'recorded' && x.date === d && x.slot === s && x.elderId === elderId);
}

function bookingFor(elderId: string | undefined, s: Slot) {
  if (!elderId) return undefined;
  return kitchen.value?.bookings.find((b) => b.elderId === elderId && b.slot === s && b.status === 'booked');
}

function priceOf(s: Slot): number {
  return site.value?.slots[s]?.priceFen ?? 0;
}

/** Validates and writes one record; shows it at once as waiting (the upload then replaces the figures). */
async function commit(p: { record: Omit<ServingRecordBody, 'clientRecordId' | 'servedAt'>; identity: string; label: string; shown: Omit<Shown, 'state' | 'clientRecordId'> }, now = new Date()): Promise<boolean> {
  if (!store) return false;
  const record: ServingRecordBody = { clientRecordId: ulid(now.getTime()), servedAt: now.toISOString(), ...p.record };
  // The API's own record schema, so what waits on the device is what the server will take.
  if (!servingRecord.safeParse(record).success) return false;
  const entry: OutboxEntry = {
    clientRecordId: record.clientRecordId,
    siteId,
    date: cstDate(now),
    record,
    state: 'waiting',
    label: p.label,
    identity: p.identity,
    estimate: { ...p.shown.figures, basis: p.shown.basis === 'server' ? 'unknown' : p.shown.basis },
  };
  await store.add(entry);
  entries.value = [entry, ...entries.value];
  tellOtherTabs();
  shown.value = { ...p.shown, clientRecordId: record.clientRecordId, state: 'waiting' };
  if (canReach()) setTimeout(() => void upload(), 0);
  return true;
}

function figuresFor(identity: string, s: Slot, m: Mode, age?: number, elderId?: string): { figures: Figures; basis: EstimateBasis } {
  const b = bookingFor(elderId, s);
  const e = estimate({ priceFen: priceOf(s), mode: m, policy: policy.value, age, repeat: servedBefore(identity, s, today.value), ...(b && { booking: b }) });
  const { basis, ...figures } = e;
  return { figures, basis };
}

/** A card read (keyboard wedge: digits then Enter) records the meal at once: the card is the check. */
export async function recordCard(raw: string, enteredAt?: number): Promise<boolean> {
  const card = raw.trim().toUpperCase();
  if (!/^[A-Z0-9-]{4,32}$/.test(card)) return false;
  const s = slot.value;
  const m = mode.value;
  const identity = `card:${card}`;
  const { figures, basis } = figuresFor(identity, s, m, undefined, cardElder.get(card));
  // The regular expression above is the schema's own rule for card numbers; commit checks the
  // whole record with the API's schema again and refuses (false) what the server would.
  const ok = await commit({ record: { cardNo: card, slot: s, mode: m, verifiedBy: 'card' }, identity, label: card, shown: { label: card, slot: s, mode: m, figures, basis, ...(enteredAt !== undefined && { enteredAt }) } });
  if (ok && canReach()) void lookupCard(card);
  return ok;
}

/** Online, the elder's minimal view beside the figures (and the card remembered for this session). */
async function lookupCard(card: string): Promise<void> {
  try {
    const elder = await call('lookupElder', { body: { cardNo: card } });
    cardElder.set(card, elder.id);
    const cur = shown.value;
    if (cur && cur.label === card && !cur.elder) shown.value = { ...cur, elder };
  } catch {
    // Unknown or unreachable: the upload's answer says which.
  }
}

/**
 * An ID number typed at the counter, checked with the server's own GB 11643 rules. Online, the
 * elder is looked up (and recorded by id, so the number is not kept on the device); offline, the
 * record carries the number and the server resolves it. Shown for one tap on 确认用餐.
 */
export async function previewIdNumber(raw: string): Promise<'ok' | 'invalid' | 'not_found'> {
  const check = parseIdNumber(raw, today.value);
  if (!check.ok) return 'invalid';
  const s = slot.value;
  const m = mode.value;
  let elder: ElderMinimal | undefined;
  if (canReach()) {
    try {
      elder = await call('lookupElder', { body: { idNumber: check.facts.normalized } });
    } catch (e) {
      // Online and not registered in this county: said now, before anything is recorded (the
      // server would refuse the record on upload anyway). A network failure falls back to the
      // offline path: the record carries the number and the server resolves it.
      if (e instanceof ApiError && e.code === 'NOT_FOUND') return 'not_found';
    }
  }
  const identity = elder ? `elder:${elder.id}` : `id:${check.facts.normalized}`;
  const age = elder?.age ?? ageOn(check.facts.birthDate, today.value);
  const { figures, basis } = figuresFor(identity, s, m, age, elder?.id);
  const label = elder?.idNumberMasked ?? check.facts.masked;
  pending = {
    record: { ...(elder ? { elderId: elder.id } : { idNumber: check.facts.normalized }), slot: s, mode: m, verifiedBy: 'id_card' },
    identity,
    label,
    shown: { label, ...(elder && { elder }), slot: s, mode: m, figures, basis, state: 'preview' },
  };
  shown.value = pending.shown;
  return 'ok';
}

/** A booking picked from today's list: its elder, slot and mode; shown for one tap on 确认用餐. */
export function previewBooking(bookingId: string): void {
  const b = kitchen.value?.bookings.find((x) => x.id === bookingId);
  if (!b) return;
  const who = kitchen.value?.elders.find((x) => x.bookingId === bookingId);
  const identity = `elder:${b.elderId}`;
  const repeat = servedBefore(identity, b.slot, today.value);
  const e = estimate({ priceFen: priceOf(b.slot), mode: b.mode, policy: policy.value, booking: b, repeat });
  const { basis, ...figures } = e;
  const label = who?.elderName ?? '';
  pending = {
    record: { elderId: b.elderId, bookingId: b.id, slot: b.slot, mode: b.mode, verifiedBy: 'manual' },
    identity,
    label,
    shown: { label, ...(who && { booked: who }), slot: b.slot, mode: b.mode, figures, basis, state: 'preview' },
  };
  shown.value = pending.shown;
}

/** The one tap: the previewed meal goes into the outbox. */
export async function confirmPending(): Promise<void> {
  const p = pending;
  if (!p) return;
  pending = undefined;
  const { state: _s, ...rest } = p.shown;
  await commit({ record: p.record, identity: p.identity, label: p.label, shown: rest });
}

export function cancelPending(): void {
  pending = undefined;
  shown.value = undefined;
}

/**
 * A rejected record, corrected: the same meal (its time, slot and mode) as a new record with a
 * new clientRecordId, by card number or ID number; the refused one leaves the outbox.
 */
export async function fixRejected(e: OutboxEntry, value: string): Promise<'ok' | 'invalid'> {
  if (!store) return 'invalid';
  const v = value.trim().toUpperCase();
  const id = parseIdNumber(v, today.value);
  const card = /^[A-Z0-9-]{4,32}$/.test(v) && !/^\d{17}[\dX]$/.test(v);
  if (!id.ok && !card) return 'invalid';
  const { elderId: _e, cardNo: _c, idNumber: _i, bookingId: _b, clientRecordId: _id, ...keep } = e.record;
  const record: ServingRecordBody = {
    ...keep,
    clientRecordId: ulid(),
    ...(id.ok ? { idNumber: id.facts.normalized, verifiedBy: 'id_card' as const } : { cardNo: v, verifiedBy: 'card' as const }),
  };
  if (!servingRecord.safeParse(record).success) return 'invalid';
  const identity = id.ok ? `id:${id.facts.normalized}` : `card:${v}`;
  const { error: _refused, ...rest } = e;
  const next: OutboxEntry = { ...rest, clientRecordId: record.clientRecordId, record, state: 'waiting', label: id.ok ? id.facts.masked : v, identity, estimate: { priceFen: e.estimate.priceFen, basis: 'unknown' } };
  await store.replace(e.clientRecordId, next);
  await refreshEntries();
  tellOtherTabs();
  if (canReach()) void upload();
  return 'ok';
}

export async function discardRejected(e: OutboxEntry, reason: string): Promise<void> {
  await store?.discard(e, reason);
  await refreshEntries();
  tellOtherTabs();
}

/** Voids a stored serving with the site's reason (online only: the server reverses the subsidy). */
export async function voidServing(servingId: string, reason: string): Promise<void> {
  await call('voidServing', { params: { servingId }, body: { reason } });
  await loadServings();
}
