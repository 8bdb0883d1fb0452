import type * as z from 'zod/mini';
import type { EventType, eventData } from '#shared/schemas/events.js';
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
/**
 * One event of the catalogue (shared/schemas/events.ts): a union over its types, each with the
 * data its schema documents, so the compiler checks every event literal against the catalogue
 * (a misspelt field or a missing one fails `tsc`, not the platform). Type-only: the schemas
 * themselves are not bundled by the functions that emit.
 */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: {
    readonly type: K;
    readonly county: string;
    /** `<kind>:<id>`: events of one entity must reach the platform in order. */
    readonly entity: string;
    readonly data: z.input<(typeof eventData)[K]>;
  };
}[T];

export type StampedEvent = DomainEvent & {
  readonly id: string;
  readonly occurredAt: string;
};

/** The attribute to put on the changed item. */
export function eventAttribute(event: DomainEvent, now = new Date()): { evt: StampedEvent } {
  return { evt: { id: newEventId(now.getTime()), occurredAt: now.toISOString(), ...event } };
}
