
import { countyOf } from '#shared/auth/area.js';
import type { Slot } from '../domain/subsidy.js';
import type { MealSite } from '../domain/model.js';

/** Ids of bookings and servings encode their keys, so reading one by id is a GetItem. */

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

export const bookingId = (siteId: string, date: string, slot: Slot, ulid: string) => `bk_${b64(`${siteId}|${date}|${slot}|${ulid}`)}`;
export function bookingKey(id: string): { pk: string; sk: string; siteId: string; date: string; slot: Slot } | undefined {
  if (!id.startsWith('bk_')) return undefined;
  const [siteId, date, slot, ulid] = unb64(id.slice(3)).split('|');
  if (!siteId || !date || !slot || !ulid) return undefined;
  return { pk: `SITEDAY#${siteId}#${date}`, sk: `BK#${slot}#${ulid}`, siteId, date, slot: slot as Slot };
}
/**
 * A serving's id encodes its key: `sv_<township><yyyymmdd><siteId>-<base64url clientRecordId>`
 * (the county is the township's first six digits; site ids have no '-'). Compact on purpose:
 * the id is stored three times in the item (as `id` and twice in its event), and a serving
 * must stay within 1 KB to cost 4 write units.
 */
export const servingId = (site: Pick<MealSite, 'id' | 'township'>, date: string, clientRecordId: string) => `sv_${site.township}${date.replaceAll('-', '')}${site.id}-${b64(clientRecordId)}`;
export function servingKey(id: string): { pk: string; sk: string } | undefined {
  const m = /^sv_(\d{9})(\d{4})(\d{2})(\d{2})([A-Za-z0-9_]+)-([A-Za-z0-9_-]+)$/.exec(id);
  if (!m) return undefined;
  const [, township, y, mo, d, siteId, record] = m as unknown as [string, string, string, string, string, string, string];
  const clientRecordId = unb64(record);
  return clientRecordId ? servingKeyOf(township, siteId, `${y}-${mo}-${d}`, clientRecordId) : undefined;
}
/** Servings live in one partition per county and day, sorted by township and site. */
export const servingKeyOf = (township: string, siteId: string, date: string, clientRecordId: string) => ({ pk: servingsPk(countyOf(township), date), sk: `${township}#${siteId}#${clientRecordId}` });
export const servingsPk = (county: string, date: string) => `SRV#${county}#${date}`;

/** Each record's key (see the table in index.ts); bookings and servings by their ids above. */
export const siteKey = (siteId: string) => ({ pk: `SITE#${siteId}`, sk: 'SITE' });
export const menuKey = (siteId: string, date: string) => ({ pk: `SITE#${siteId}`, sk: `MENU#${date}` });
export const seatCounterKey = (siteDayPk: string, slot: Slot) => ({ pk: siteDayPk, sk: `COUNT#${slot}` });
export const bookingGuardKey = (elderId: string, date: string, slot: Slot) => ({ pk: `ELDER#${elderId}`, sk: `BK#${date}#${slot}` });
export const elderDayKey = (elderId: string, date: string) => ({ pk: `ELDER#${elderId}`, sk: `DAY#${date}` });
export const alertKey = (county: string, alertId: string) => ({ pk: `ALERTS#${county}`, sk: alertId });
