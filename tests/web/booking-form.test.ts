import { describe, expect, it } from 'vitest';
import { validateBooking, type FormState } from '../../web/src/booking-form.js';
import { fieldProblems } from '../../web/src/messages.js';

const today = '2026-12-01';
const slots = [
  { slot: 'breakfast' as const, capacity: 40, booked: 40, remaining: 0, priceFen: 500, cutoff: '07:00', open: true },
  { slot: 'lunch' as const, capacity: 100, booked: 3, remaining: 97, priceFen: 1500, cutoff: '10:00', open: true },
  { slot: 'dinner' as const, capacity: 80, booked: 0, remaining: 80, priceFen: 1200, cutoff: '16:00', open: false },
];
const form = (over: Partial<FormState> = {}): FormState => ({ elderId: 'eld_1', siteId: 'site_1', date: '2026-12-02', slot: 'lunch', mode: 'dine_in', deliveryAddress: '', ...over });

describe('the booking form, checked with the API\'s own schema before sending', () => {
  it('a complete form becomes the request body', () => {
    const r = validateBooking(form(), { today, slots, deliveryOffered: true });
    expect(r).toEqual({ ok: true, body: { elderId: 'eld_1', siteId: 'site_1', date: '2026-12-02', slot: 'lunch', mode: 'dine_in' } });
  });

  it('delivery needs an address (the schema\'s rule), and sends it trimmed of nothing else', () => {
    expect(validateBooking(form({ mode: 'delivery' }), { today, slots, deliveryOffered: true })).toEqual({ ok: false, problems: { deliveryAddress: fieldProblems.deliveryAddress } });
    const r = validateBooking(form({ mode: 'delivery', deliveryAddress: '人民路 3 号 2 单元 101' }), { today, slots, deliveryOffered: true });
    expect(r.ok && r.body.deliveryAddress).toBe('人民路 3 号 2 单元 101');
  });

  it('an address typed for dine-in is not sent', () => {
    const r = validateBooking(form({ deliveryAddress: '人民路 3 号' }), { today, slots, deliveryOffered: true });
    expect(r.ok && 'deliveryAddress' in r.body).toBe(false);
  });

  it('no slot chosen is "please fill in", not a schema message', () => {
    expect(validateBooking(form({ slot: '' }), { today, slots })).toEqual({ ok: false, problems: { slot: fieldProblems.required } });
  });

  it('dates from today to 30 days ahead only', () => {
    expect(validateBooking(form({ date: today }), { today, slots }).ok).toBe(true);
    expect(validateBooking(form({ date: '2026-12-31' }), { today, slots }).ok).toBe(true);
    expect(validateBooking(form({ date: '2027-01-01' }), { today, slots })).toEqual({ ok: false, problems: { date: fieldProblems.dateRange } });
    expect(validateBooking(form({ date: '2026-11-30' }), { today, slots })).toEqual({ ok: false, problems: { date: fieldProblems.dateRange } });
    expect(validateBooking(form({ date: '2026-02-30' }), { today, slots })).toEqual({ ok: false, problems: { date: fieldProblems.invalid } });
  });

  it('a full or closed slot, or delivery from a site that does not deliver, is said beside the field', () => {
    expect(validateBooking(form({ slot: 'breakfast' }), { today, slots })).toEqual({ ok: false, problems: { slot: fieldProblems.slotFull } });
    expect(validateBooking(form({ slot: 'dinner' }), { today, slots })).toEqual({ ok: false, problems: { slot: fieldProblems.slotClosed } });
    expect(validateBooking(form({ mode: 'delivery', deliveryAddress: '人民路 3 号' }), { today, slots, deliveryOffered: false })).toEqual({ ok: false, problems: { mode: fieldProblems.deliveryOff } });
  });

  it('an id the schema would refuse is caught before sending', () => {
    expect(validateBooking(form({ elderId: 'eld 1/../x' }), { today, slots })).toEqual({ ok: false, problems: { elderId: fieldProblems.invalid } });
  });
});
