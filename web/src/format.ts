/** Money arrives in fen (integers): shown as yuan with two decimals, ¥12.00, without floating point. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const CST_OFFSET_MS = 8 * 3600_000;
/** Today's date in China Standard Time, whatever the phone's zone. */
export const cstToday = (now = new Date()): string => new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** The instant of a China Standard Time wall-clock time on a date. */
export const cstInstant = (date: string, hhmm: string): Date => new Date(`${date}T${hhmm}:00+08:00`);

const weekdays = ['日', '一', '二', '三', '四', '五', '六'];
/** 12月1日（周二） */
export function dateLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日（周${weekdays[d.getUTCDay()]}）`;
}

/**
 * An instant (ISO 8601 with offset) as a China Standard Time month, day and time, for a deadline:
 * "12月4日 14:30". The phone's own zone plays no part (a family abroad sees Beijing time, which is
 * when the institution expects them).
 */
export function cstMonthDayTime(instant: string): string {
  const d = new Date(Date.parse(instant) + CST_OFFSET_MS);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** An instant's China Standard Time date written out in full: "2026年11月3日". */
export function cstLongDate(instant: string): string {
  const d = new Date(Date.parse(instant) + CST_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** An instant as the value of an <input type="datetime-local"> in China Standard Time: "2026-12-01T14:30". */
export const cstLocalInput = (instant: string | Date): string => new Date(new Date(instant).getTime() + CST_OFFSET_MS).toISOString().slice(0, 16);
/** A datetime-local value read as China Standard Time, as an ISO instant; undefined when it is not one. */
export function instantOfCstLocal(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  const t = Date.parse(`${value}:00+08:00`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
