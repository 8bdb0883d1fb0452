import { describe, expect, it } from 'vitest';
import { eventAttribute, type DomainEvent } from '../../functions/events/outbox.js';
import { eventData } from '../../shared/schemas/events.js';

// Type tests: `npm test` type-checks this file, so each @ts-expect-error fails the run if the
// emitter's type stops refusing an event the catalogue would not describe.
const cancelled: DomainEvent = { type: 'booking.cancelled', county: '411327', entity: 'booking:bk_1', data: { bookingId: 'bk_1', reason: 'requested' } };
// @ts-expect-error a field of another event type's data
const wrongData: DomainEvent = { type: 'booking.cancelled', county: '411327', entity: 'booking:bk_1', data: { bookingId: 'bk_1', reason: 'requested', servingId: 'sv_1' } };
// @ts-expect-error a reason the catalogue does not list
const wrongReason: DomainEvent = { type: 'booking.cancelled', county: '411327', entity: 'booking:bk_1', data: { bookingId: 'bk_1', reason: 'bored' } };
// @ts-expect-error a type not in the catalogue
const unknownType: DomainEvent = { type: 'booking.lost', county: '411327', entity: 'booking:bk_1', data: {} };

describe('domain events are typed by the catalogue', () => {
  it('stamps an id and time on an event whose data the catalogue parses', () => {
    const { evt } = eventAttribute(cancelled, new Date('2026-11-30T04:00:00Z'));
    expect(evt).toMatchObject({ type: 'booking.cancelled', occurredAt: '2026-11-30T04:00:00.000Z' });
    expect(eventData[evt.type].safeParse(evt.data).success).toBe(true);
    expect([wrongData, wrongReason, unknownType]).toHaveLength(3);
  });
});
