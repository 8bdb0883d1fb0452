/**
 * China Standard Time helpers. Dates and meal slots follow UTC+8 whatever the server's zone,
 * and China has no daylight saving, so a fixed offset is exact.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of an instant in China Standard Time. */
export function cstDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** ISO 8601 with the +08:00 offset, for responses people read. */
export function cstIso(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** Whole years between a `YYYY-MM-DD` birth date and `today` (also `YYYY-MM-DD`). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
