import { cstDate } from '#shared/time.js';
import type { Slot } from './subsidy.js';

/**
 * Meal-slot clock rules, all in China Standard Time (UTC+8, no daylight saving).
 * A slot ends at a fixed time of day; a booking can be made or cancelled until the site's
 * cutoff on the meal's date.
 */
export const slotEnds: Record<Slot, string> = { breakfast: '09:30', lunch: '13:30', dinner: '19:30' };

const CST = 8 * 3600 * 1000;

/** The instant of `HH:MM` China Standard Time on `date`. */
export function cstInstant(date: string, hhmm: string): Date {
  return new Date(Date.parse(`${date}T${hhmm}:00.000Z`) - CST);
}

/** `HH:MM` of an instant in China Standard Time. */
export const cstTime = (at: Date): string => new Date(at.getTime() + CST).toISOString().slice(11, 16);

/** The slot a meal served at `at` belongs to, when the device did not say. */
export function slotAt(at: Date): Slot {
  const t = cstTime(at);
  return t < '10:30' ? 'breakfast' : t < '15:30' ? 'lunch' : 'dinner';
}

export const cutoffPassed = (date: string, cutoff: string, now: Date): boolean => now >= cstInstant(date, cutoff);

export const slotEnded = (date: string, slot: Slot, now: Date): boolean => now >= cstInstant(date, slotEnds[slot]);

/** `date` plus `days` (dates are plain calendar dates). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export { cstDate };
