import { slotAt } from '#functions/meals/domain/slot-time.js';
import { slots, type Slot } from '#functions/meals/domain/subsidy.js';

/**
 * The meal slot a serving belongs to, from the clock, in China Standard Time: the server's own
 * rule (`slotAt`: before 10:30 breakfast, before 15:30 lunch, then dinner), so a record the
 * device labels and one the server would infer agree. When the site does not offer that slot
 * (a service point with lunch only, serving at 10:15), the nearest offered slot is taken: the
 * next one if there is a later one, else the last one before. The counter shows the slot and
 * lets the site override it.
 *
 * @param now the instant of serving
 * @param offered the slots the site serves (its `slots` keys); empty means "take the clock's"
 */
export function inferSlot(now: Date, offered: readonly Slot[]): Slot {
  const clock = slotAt(now);
  if (offered.length === 0 || offered.includes(clock)) return clock;
  const at = slots.indexOf(clock);
  const later = slots.slice(at + 1).find((s) => offered.includes(s));
  if (later) return later;
  return [...slots.slice(0, at)].reverse().find((s) => offered.includes(s)) ?? clock;
}

/** The slots a site offers, in the day's order (from GET /v1/meal-sites/{siteId}). */
export const offeredSlots = (site: { slots: Partial<Record<Slot, unknown>> }): Slot[] => slots.filter((s) => site.slots[s]);
