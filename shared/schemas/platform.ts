import * as z from 'zod/mini';
import { fileApplicationBody } from './bed-applications.js';
import { countyCode, described, instant, isoDate, named, pageQuery, text, villageCode, townshipCode } from './common.js';
import { platformEvent } from './events.js';
import { capabilityLevel, cardNo, dietaryNeeds, elderCategories, idNumberInput, phone } from './elders.js';

/**
 * What the smart elderly-care platform sends down. It knows people by resident ID number, not
 * by our ids; the ID number is used to find or register the elder and is never stored in clear.
 */
const idNumber = idNumberInput;
const profile = {
  name: z.optional(text(1, 50)),
  phone: z.optional(phone),
  village: z.optional(villageCode),
  categories: z.optional(z.array(z.enum(elderCategories)).check(z.maxLength(elderCategories.length))),
  dietaryNeeds: z.optional(z.array(z.enum(dietaryNeeds)).check(z.maxLength(dietaryNeeds.length))),
};

export const platformWebhook = named(
  z.discriminatedUnion('type', [
    z.object({
      type: z.literal('elder.enrolled'),
      county: countyCode,
      data: z.object({ idNumber, ...profile, name: text(1, 50), township: townshipCode, capabilityLevel: z.optional(capabilityLevel), cardNo: z.optional(cardNo) }),
    }),
    z.object({ type: z.literal('elder.updated'), county: countyCode, data: z.object({ idNumber, ...profile }) }),
    z.object({ type: z.literal('elder.assessed'), county: countyCode, data: z.object({ idNumber, capabilityLevel, assessedAt: z.optional(isoDate) }) }),
    z.object({ type: z.literal('elder.deceased'), county: countyCode, data: z.object({ idNumber, dateOfDeath: isoDate }) }),
    // A care-bed application filed on the platform: the same fields as staff send to
    // POST /v1/bed-applications, with the elder named by ID number as in every inbound event.
    z.object({
      type: z.literal('bed_application.filed'),
      county: countyCode,
      data: z.extend(z.omit(fileApplicationBody, { elderId: true }), { idNumber }),
    }),
  ]),
  'PlatformWebhook',
);
export type PlatformWebhook = z.output<typeof platformWebhook>;

export const webhookResult = named(
  z.object({
    status: z.enum(['applied', 'duplicate', 'unchanged']),
    elderId: z.optional(z.string()),
    applicationId: described(z.optional(z.string()), '`bed_application.filed`: the application filed (`applied`), or the elder\'s open one (`unchanged`)'),
    detail: z.optional(z.string()),
  }),
  'WebhookResult',
);

// ---- outbound: the feed, reconciliation and dead letters

const cursor = (message: string) => z.string().check(z.regex(/^\d{1,15}$/, message));
export const feedQuery = z.object({
  after: described(z.optional(cursor('must be a cursor this feed gave out')), 'The `cursor` of the previous page; absent to start from the first event.'),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 100),
});
export const feedPage = named(
  z.object({
    events: z.array(platformEvent),
    cursor: described(z.string(), 'Pass as `after` for the next page. Kept when there is nothing new, so polling with it never skips an event.'),
    more: described(z.boolean(), 'True when this page is full: ask again straight away.'),
  }),
  'EventFeedPage',
);

export const reconciliationQuery = z.object({ date: described(isoDate, 'China Standard Time date the events occurred on') });
export const reconciliation = named(z.object({ county: z.string(), date: isoDate, total: z.int(), byType: z.record(z.string(), z.int()) }), 'Reconciliation');

export const deadLetter = named(
  z.object({
    eventId: z.string(),
    seq: z.int(),
    type: z.string(),
    entity: z.string(),
    occurredAt: instant,
    parkedAt: instant,
    reason: described(z.enum(['attempts_exhausted', 'behind_parked_event']), '`behind_parked_event`: parked so as not to overtake an earlier event of the same entity (`behind`).'),
    attempts: z.int(),
    lastError: z.optional(z.string()),
    behind: z.optional(z.string()),
  }),
  'DeadLetter',
);
export const deadLettersQuery = pageQuery;
export const deadLetterList = z.object({ items: z.array(deadLetter), nextToken: z.optional(z.string()) });
export const replayBody = z.object({ limit: z._default(described(z.int().check(z.minimum(1), z.maximum(1000)), 'At most this many, oldest first.'), 1000) });
export const replayResult = named(
  z.object({ replayed: z.int(), remaining: described(z.boolean(), 'True when dead letters are left: call again.') }),
  'ReplayResult',
);
