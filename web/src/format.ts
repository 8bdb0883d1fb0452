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
