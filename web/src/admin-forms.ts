import { patchElderBody } from '#shared/schemas/elders.js';
import { patchSiteBody } from '#shared/schemas/meals.js';
import { parseIdNumber } from '#shared/id-number.js';
import type { Answer, BodyOf } from './api.js';

/**
 * The staff administration forms' rules (elder edit, meal-site edit, elder search), checked with
 * the API's own schemas (patchElderBody, patchSiteBody) so the page and the server never
 * disagree; the server still decides. Pure functions: the pages and tests/web call them.
 */

/**
 * What the staff search box holds: a valid full ID number (found with POST /v1/elders/lookup,
 * the number in the body: a URL's query string reaches CloudFront's access logs), or else a name
 * prefix or card number for GET /v1/elders?q=. `today` is a China Standard Time date YYYY-MM-DD.
 */
export function searchKind(typed: string, today: string): { by: 'idNumber'; idNumber: string } | { by: 'badIdNumber'; reason: string } | { by: 'q'; q: string } | { by: 'none' } {
  // NFKC turns full-width digits and letters (what a Chinese input method often types) into
  // ASCII; spaces and dashes inside a number are how people group its digits.
  const v = typed.normalize('NFKC').trim();
  if (!v) return { by: 'none' };
  const compact = v.replace(/[\s-]/g, '');
  const checked = parseIdNumber(compact, today);
  if (checked.ok) return { by: 'idNumber', idNumber: compact.toUpperCase() };
  // Anything shaped like an ID number (15 to 19 digits, the last maybe X) but failing its rules:
  // a typing slip or an old 15-digit number, said on the page; never sent as q, which would put
  // a person's number in a URL and so in the access logs.
  if (/^\d{14,18}[\dXx]$/.test(compact)) return { by: 'badIdNumber', reason: checked.reason };
  // Card numbers are stored in capitals (the counter reads them so): search them so too.
  if (/^[A-Za-z0-9-]{4,32}$/.test(v) && /\d/.test(v)) return { by: 'q', q: v.toUpperCase() };
  return { by: 'q', q: v };
}

type Elder = Extract<Answer<'patchElder'>, { categories: unknown }>;
export type ElderPatch = BodyOf<'patchElder'>;

/** The elder edit form as typed: text fields as strings ('' = empty), lists as chosen. */
export interface ElderFormState {
  readonly phone: string;
  readonly address: string;
  readonly village: string;
  readonly cardNo: string;
  /** '' = not assessed (the level cannot be cleared once set), else '0'..'4'. */
  readonly capabilityLevel: string;
  readonly categories: readonly string[];
  readonly dietaryNeeds: readonly string[];
}

export const elderFormOf = (e: Elder): ElderFormState => ({
  phone: e.phone ?? '',
  address: e.address ?? '',
  village: e.village ?? '',
  cardNo: e.cardNo ?? '',
  capabilityLevel: e.capabilityLevel === undefined ? '' : String(e.capabilityLevel),
  categories: [...e.categories],
  dietaryNeeds: [...e.dietaryNeeds],
});

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The PATCH body for what changed between the elder as loaded and the form: a text field emptied
 * is sent as null (clears it), one unchanged is not sent. Problems are keyed by form field, with
 * the schema's own check deciding. No change at all: `{ ok: false, problems: {}, unchanged: true }`.
 */
export function elderPatchOf(before: ElderFormState, form: ElderFormState):
  | { ok: true; body: ElderPatch }
  | { ok: false; problems: Partial<Record<keyof ElderFormState, 'invalid'>>; unchanged?: true } {
  const body: Record<string, unknown> = {};
  for (const k of ['phone', 'address', 'village', 'cardNo'] as const) {
    const now = form[k].trim();
    if (now !== before[k].trim()) body[k] = now === '' ? null : now;
  }
  if (form.capabilityLevel !== before.capabilityLevel && form.capabilityLevel !== '') body.capabilityLevel = Number(form.capabilityLevel);
  if (!sameSet(form.categories, before.categories)) body.categories = [...form.categories];
  if (!sameSet(form.dietaryNeeds, before.dietaryNeeds)) body.dietaryNeeds = [...form.dietaryNeeds];
  if (Object.keys(body).length === 0) return { ok: false, problems: {}, unchanged: true };
  const parsed = patchElderBody.safeParse(body);
  if (parsed.success) return { ok: true, body: body as ElderPatch };
  const problems: Partial<Record<keyof ElderFormState, 'invalid'>> = {};
  for (const issue of parsed.error.issues) problems[String(issue.path[0] ?? '') as keyof ElderFormState] = 'invalid';
  return { ok: false, problems };
}

type Site = Answer<'patchSite'>;
type Slot = 'breakfast' | 'lunch' | 'dinner';
export type SitePatch = BodyOf<'patchSite'>;

/** The site edit form as typed: price in yuan as typed ("12.5"), capacity as typed. */
export interface SiteFormState {
  readonly name: string;
  readonly address: string;
  readonly slots: Partial<Record<Slot, { capacity: string; price: string }>>;
}

const fenString = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
export const siteFormOf = (s: Site): SiteFormState => ({
  name: s.name,
  address: s.address,
  slots: Object.fromEntries(Object.entries(s.slots).filter(([, c]) => c).map(([k, c]) => [k, { capacity: String(c!.capacity), price: fenString(c!.priceFen) }])),
});

/** "12.5" yuan → 1250 fen, exactly (no floating point); NaN when it is not an amount with at most two decimals. */
export function fenOf(yuanTyped: string): number {
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(yuanTyped.trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : Number.NaN;
}

/**
 * The PATCH body for what changed in name, address and each offered slot's capacity and price
 * (fen). Problems keyed 'name', 'address', or 'lunch.capacity' / 'lunch.price'.
 */
export function sitePatchOf(site: Site, form: SiteFormState): { ok: true; body: SitePatch } | { ok: false; problems: Record<string, 'invalid'>; unchanged?: true } {
  const problems: Record<string, 'invalid'> = {};
  const body: Record<string, unknown> = {};
  if (form.name.trim() !== site.name) body.name = form.name.trim();
  if (form.address.trim() !== site.address) body.address = form.address.trim();
  const slots: Record<string, Record<string, number>> = {};
  for (const [slot, typed] of Object.entries(form.slots) as [Slot, { capacity: string; price: string }][]) {
    const was = site.slots[slot];
    if (!was) continue;
    const change: Record<string, number> = {};
    const capacity = /^\d{1,6}$/.test(typed.capacity.trim()) ? Number(typed.capacity.trim()) : Number.NaN;
    const priceFen = fenOf(typed.price);
    if (Number.isNaN(capacity)) problems[`${slot}.capacity`] = 'invalid';
    else if (capacity !== was.capacity) change.capacity = capacity;
    if (Number.isNaN(priceFen)) problems[`${slot}.price`] = 'invalid';
    else if (priceFen !== was.priceFen) change.priceFen = priceFen;
    if (Object.keys(change).length) slots[slot] = change;
  }
  if (Object.keys(slots).length) body.slots = slots;
  if (Object.keys(problems).length) return { ok: false, problems };
  if (Object.keys(body).length === 0) return { ok: false, problems: {}, unchanged: true };
  const parsed = patchSiteBody.safeParse(body);
  if (parsed.success) return { ok: true, body: body as SitePatch };
  for (const issue of parsed.error.issues) {
    const [a, b, c] = issue.path.map(String);
    problems[a === 'slots' ? `${b}.${c === 'priceFen' ? 'price' : 'capacity'}` : a ?? ''] = 'invalid';
  }
  return { ok: false, problems };
}
