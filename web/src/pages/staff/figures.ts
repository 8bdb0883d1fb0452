/**
 * How the dashboard writes its figures. Rates arrive as fractions (0.4567, four decimals) and are
 * shown as percentages with one decimal; counts with thousands separators.
 */
export const percent = (fraction: number): string => `${(Math.round(fraction * 1000) / 10).toFixed(1)}%`;
export const count = (n: number): string => n.toLocaleString('zh-CN');
/** An instant as a China Standard Time wall-clock time: 2026-12-01 09:30. */
export function cstDateTime(instant: string): string {
  const d = new Date(Date.parse(instant) + 8 * 3600_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}
