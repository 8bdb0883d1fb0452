import * as z from 'zod';
import { countyCode, instant, isoDate, villageCode, townshipCode } from './common.js';
import { platformEvent } from './events.js';
import { capabilityLevel, dietaryNeeds, elderCategories } from './elders.js';

/**
 * What the smart elderly-care platform sends down. It knows people by resident ID number, not
 * by our ids; the ID number is used to find or register the elder and is never stored in clear.
 */
const idNumber = z.string().trim().min(15).max(32);
const profile = {
  name: z.string().trim().min(1).max(50).optional(),
  phone: z.string().trim().regex(/^\+?[0-9-]{5,20}$/).optional(),
  village: villageCode.optional(),
  categories: z.array(z.enum(elderCategories)).optional(),
  dietaryNeeds: z.array(z.enum(dietaryNeeds)).optional(),
};

export const platformWebhook = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('elder.enrolled'),
      county: countyCode,
      data: z.object({ idNumber, ...profile, name: z.string().trim().min(1).max(50), township: townshipCode, capabilityLevel: capabilityLevel.optional(), cardNo: z.string().trim().max(32).optional() }),
    }),
    z.object({ type: z.literal('elder.updated'), county: countyCode, data: z.object({ idNumber, ...profile }) }),
    z.object({ type: z.literal('elder.assessed'), county: countyCode, data: z.object({ idNumber, capabilityLevel, assessedAt: isoDate.optional() }) }),
    z.object({ type: z.literal('elder.deceased'), county: countyCode, data: z.object({ idNumber, dateOfDeath: isoDate }) }),
  ])
  .meta({ id: 'PlatformWebhook' });
export type PlatformWebhook = z.output<typeof platformWebhook>;

export const webhookResult = z
  .object({ status: z.enum(['applied', 'duplicate', 'unchanged']), elderId: z.string().optional(), detail: z.string().optional() })
  .meta({ id: 'WebhookResult' });

// ---- outbound: the feed, reconciliation and dead letters

export const feedQuery = z.object({
  after: z.string().regex(/^\d{1,15}$/, 'must be a cursor this feed gave out').optional().describe('The `cursor` of the previous page; absent to start from the first event.'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const feedPage = z
  .object({
    events: z.array(platformEvent),
    cursor: z.string().describe('Pass as `after` for the next page. Kept when there is nothing new, so polling with it never skips an event.'),
    more: z.boolean().describe('True when this page is full: ask again straight away.'),
  })
  .meta({ id: 'EventFeedPage' });

export const reconciliationQuery = z.object({ date: isoDate.describe('China Standard Time date the events occurred on') });
export const reconciliation = z
  .object({ county: z.string(), date: isoDate, total: z.number().int(), byType: z.record(z.string(), z.number().int()) })
  .meta({ id: 'Reconciliation' });

export const deadLetter = z
  .object({
    eventId: z.string(),
    seq: z.number().int(),
    type: z.string(),
    entity: z.string(),
    occurredAt: instant,
    parkedAt: instant,
    reason: z.enum(['attempts_exhausted', 'behind_parked_event']).describe('`behind_parked_event`: parked so as not to overtake an earlier event of the same entity (`behind`).'),
    attempts: z.number().int(),
    lastError: z.string().optional(),
    behind: z.string().optional(),
  })
  .meta({ id: 'DeadLetter' });
export const deadLettersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  nextToken: z.string().regex(/^\d{1,15}$/, 'is not a token this list gave out').optional(),
});
export const deadLetterList = z.object({ items: z.array(deadLetter), nextToken: z.string().optional() });
export const replayBody = z.object({ limit: z.number().int().min(1).max(1000).default(1000).describe('At most this many, oldest first.') });
export const replayResult = z
  .object({ replayed: z.number().int(), remaining: z.boolean().describe('True when dead letters are left: call again.') })
  .meta({ id: 'ReplayResult' });
