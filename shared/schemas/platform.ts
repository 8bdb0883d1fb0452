import { z } from 'zod';
import { countyCode, isoDate, villageCode, townshipCode } from './common.js';
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
