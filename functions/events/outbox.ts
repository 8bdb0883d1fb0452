import type { EventType } from '#shared/schemas/events.js';
import { newEventId } from '../lib/ids.js';

/**
 * The outbox, carried by the change itself. Each write that changes an entity sets an `evt`
 * attribute on that entity's item, in the same PutItem/UpdateItem/transaction as the change:
 * the event exists exactly when the change does, and costs no extra write unit (a separate
 * outbox item in a transaction would cost 2 more per change, which would break the cost
 * targets of servings and bookings). The table's stream (new and old images) is the outbox:
 * the platform link emits a record's `evt` when its id differs from the old image's, and
 * stream order per item keeps each entity's events in order.
 */
/** `type` must be one of the catalogue's (shared/schemas/events.ts), which documents its data. */
export interface DomainEvent<T extends EventType = EventType, D = Record<string, unknown>> {
  readonly type: T;
  readonly county: string;
  /** `<kind>:<id>`: events of one entity must reach the platform in order. */
  readonly entity: string;
  readonly data: D;
}

export interface StampedEvent extends DomainEvent {
  readonly id: string;
  readonly occurredAt: string;
}

/** The attribute to put on the changed item. */
export function eventAttribute(event: DomainEvent, now = new Date()): { evt: StampedEvent } {
  return { evt: { id: newEventId(now.getTime()), occurredAt: now.toISOString(), ...event } };
}
