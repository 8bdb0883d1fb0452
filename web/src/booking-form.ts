import { createBookingBody } from '#shared/schemas/meals.js';
import type { Answer, BodyOf } from './api.js';
import { addDays } from './format.js';
import { fieldProblems } from './messages.js';

export type BookingBody = BodyOf<'createBooking'>;
type Slots = Answer<'availability'>['slots'];

export interface FormState {
  readonly elderId: string;
  readonly siteId: string;
  readonly date: string;
  readonly slot: string;
  readonly mode: string;
  readonly deliveryAddress: string;
}

export type Problems = Partial<Record<keyof FormState, string>>;

/**
 * Checks the booking form with the API's own schema (createBookingBody), then what the page
 * knows besides: the 30-day window, the slot still open and not full, delivery offered. The
 * server still decides; this only saves a round trip and says what to fix beside the field.
 */
export function validateBooking(
  form: FormState,
  ctx: { today: string; slots?: Slots; deliveryOffered?: boolean },
): { ok: true; body: BookingBody } | { ok: false; problems: Problems } {
  const candidate = {
    elderId: form.elderId,
    siteId: form.siteId,
    date: form.date,
    slot: form.slot,
    mode: form.mode,
    ...(form.mode === 'delivery' && form.deliveryAddress.trim() !== '' && { deliveryAddress: form.deliveryAddress }),
  };
  const problems: Problems = {};
  const parsed = createBookingBody.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '') as keyof FormState;
      if (problems[field]) continue;
      const value = candidate[field as keyof typeof candidate];
      problems[field] = field === 'deliveryAddress' ? fieldProblems.deliveryAddress : value === '' || value === undefined ? fieldProblems.required : fieldProblems.invalid;
    }
  }
  if (!problems.date && (form.date < ctx.today || form.date > addDays(ctx.today, 30))) problems.date = fieldProblems.dateRange;
  const slot = ctx.slots?.find((s) => s.slot === form.slot);
  if (!problems.slot && slot && !slot.open) problems.slot = fieldProblems.slotClosed;
  else if (!problems.slot && slot && slot.remaining <= 0) problems.slot = fieldProblems.slotFull;
  if (!problems.mode && form.mode === 'delivery' && ctx.deliveryOffered === false) problems.mode = fieldProblems.deliveryOff;
  if (Object.keys(problems).length || !parsed.success) return { ok: false, problems };
  return { ok: true, body: candidate as BookingBody };
}
