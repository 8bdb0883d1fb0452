import * as z from 'zod';
import { id, instant, isoDate, pageQuery, townshipCode } from './common.js';
import { dietaryNeeds, elderCategories } from './elders.js';

export const slotName = z.enum(['breakfast', 'lunch', 'dinner']);
export const mealMode = z.enum(['dine_in', 'pickup', 'delivery']);
export const siteKinds = ['canteen', 'service_point', 'central_kitchen'] as const;
const fen = (max = 1_000_000) => z.number().int().min(0).max(max);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (China Standard Time)');

export const slotConfig = z.object({
  capacity: z.number().int().min(1).max(10_000),
  priceFen: fen(100_000),
  cutoff: hhmm.describe('last time to book or cancel on the meal\'s date'),
});

export const createSiteBody = z.object({
  name: z.string().trim().min(1).max(100),
  township: townshipCode,
  kind: z.enum(siteKinds),
  address: z.string().trim().min(1).max(200),
  delivery: z.boolean(),
  slots: z
    .object({ breakfast: slotConfig.optional(), lunch: slotConfig.optional(), dinner: slotConfig.optional() })
    .refine((s) => Object.values(s).some(Boolean), 'at least one slot must be offered'),
  kitchenStreamUrl: z.url({ protocol: /^https?$/ }).optional().describe('明厨亮灶: live video of the kitchen'),
});

export const mealSite = createSiteBody
  .extend({ id: z.string(), county: z.string(), createdAt: instant, updatedAt: instant })
  .meta({ id: 'MealSite' });
export type MealSiteView = z.input<typeof mealSite>;

export const siteParams = z.object({ siteId: id('meal site') });
export const dateQuery = z.object({ date: isoDate });

export const availability = z
  .object({
    siteId: z.string(),
    date: isoDate,
    slots: z.array(z.object({ slot: slotName, capacity: z.number().int(), booked: z.number().int(), remaining: z.number().int(), priceFen: z.number().int(), cutoff: z.string(), open: z.boolean() })),
  })
  .meta({ id: 'Availability' });

export const subsidyRule = z.object({
  match: z.object({
    categories: z.array(z.enum(elderCategories)).min(1).optional().describe('any one of these categories'),
    minAge: z.number().int().min(0).max(150).optional(),
    maxAge: z.number().int().min(0).max(150).optional(),
    capabilityLevelAtLeast: z.number().int().min(0).max(4).optional(),
  }),
  subsidyFen: fen(100_000),
});
export const putPolicyBody = z.object({
  effectiveFrom: isoDate,
  rules: z.array(subsidyRule).max(50),
  minPriceFen: fen(100_000).optional(),
  dailyCapFen: fen(100_000).optional(),
  deliverySubsidy: z.object({ capabilityLevelAtLeast: z.number().int().min(0).max(4), subsidyFen: fen(100_000) }).optional(),
  siteSubsidyPerDinerFen: fen(100_000).optional(),
});
export const subsidyPolicy = putPolicyBody.extend({ county: z.string(), version: z.string(), updatedAt: instant }).meta({ id: 'SubsidyPolicy' });

export const bookingStatus = z.enum(['booked', 'cancelled', 'served', 'no_show']);
export const createBookingBody = z
  .object({
    elderId: id('elder'),
    siteId: id('meal site'),
    date: isoDate,
    slot: slotName,
    mode: mealMode,
    deliveryAddress: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => b.mode !== 'delivery' || b.deliveryAddress, { message: 'required for delivery', path: ['deliveryAddress'] });
export const booking = z
  .object({
    id: z.string(),
    status: bookingStatus,
    elderId: z.string(),
    siteId: z.string(),
    date: isoDate,
    slot: slotName,
    mode: mealMode,
    deliveryAddress: z.string().optional(),
    priceFen: z.number().int(),
    subsidyFen: z.number().int().describe('expected subsidy; the serving decides the final amount'),
    payFen: z.number().int(),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Booking' });
export type BookingView = z.input<typeof booking>;
export const bookingParams = z.object({ bookingId: id('booking') });
export const bookingsQuery = pageQuery.extend({ elderId: id('elder') });
export const bookingList = z.object({ items: z.array(booking), nextToken: z.string().optional() });

export const kitchenList = z
  .object({
    siteId: z.string(),
    date: isoDate,
    slots: z.array(z.object({
      slot: slotName,
      booked: z.number().int(),
      byMode: z.record(mealMode, z.number().int()),
      byDietaryNeed: z.record(z.enum(dietaryNeeds), z.number().int()),
    })),
    deliveries: z.array(z.object({ bookingId: z.string(), slot: slotName, elderName: z.string(), address: z.string(), dietaryNeeds: z.array(z.enum(dietaryNeeds)) })),
    bookings: z.array(booking),
  })
  .meta({ id: 'KitchenList' });

export const servingRecord = z
  .object({
    clientRecordId: z.string().trim().min(1).max(64),
    elderId: id('elder').optional(),
    idNumber: z.string().trim().max(32).optional(),
    cardNo: z.string().trim().max(32).optional(),
    servedAt: instant,
    slot: slotName.optional().describe('inferred from servedAt (China Standard Time) when absent'),
    mode: mealMode,
    verifiedBy: z.enum(['face', 'card', 'id_card', 'manual']),
    bookingId: id('booking').optional(),
  })
  .refine((r) => [r.elderId, r.idNumber, r.cardNo].filter(Boolean).length === 1, { message: 'exactly one of elderId, idNumber and cardNo', path: ['elderId'] })
  .meta({ id: 'ServingRecord' });
export type ServingRecordInput = z.output<typeof servingRecord>;

export const servingResult = z.object({
  clientRecordId: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  servingId: z.string().optional(),
  priceFen: z.number().int().optional(),
  subsidyFen: z.number().int().optional(),
  payFen: z.number().int().optional(),
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ path: z.string().optional(), message: z.string() }).loose()).optional() }).optional(),
});
/** Lenient on purpose: each record is validated on its own, so one bad record fails alone. */
export const servingsBody = z.object({ records: z.array(z.object({ clientRecordId: z.string().trim().min(1).max(64) }).loose()).min(1).max(200) });
export const servingsBodyDoc = z.object({ records: z.array(servingRecord).min(1).max(200) });
export const servingsResults = z.object({ results: z.array(servingResult) });

export const serving = z
  .object({
    id: z.string(),
    status: z.enum(['recorded', 'voided']),
    siteId: z.string(),
    clientRecordId: z.string(),
    elderId: z.string(),
    date: isoDate,
    slot: slotName,
    mode: mealMode,
    servedAt: instant,
    verifiedBy: z.string(),
    priceFen: z.number().int(),
    subsidyFen: z.number().int(),
    payFen: z.number().int(),
    subsidyBasis: z.string(),
    policyVersion: z.string().optional(),
    categories: z.array(z.string()).describe('the elder\'s categories as they stood that day'),
    age: z.number().int(),
    capabilityLevel: z.number().int().optional(),
    bookingId: z.string().optional(),
    recordedAt: instant,
    voided: z.object({ at: instant, by: z.string(), reason: z.string() }).optional(),
  })
  .meta({ id: 'Serving' });
export type ServingView = z.input<typeof serving>;
export const servingParams = z.object({ servingId: z.string().min(1).max(400).regex(/^[A-Za-z0-9_-]+$/, 'must be a serving id') });
export const voidBody = z.object({ reason: z.string().trim().min(2).max(500) });
export const servingList = z.object({ items: z.array(serving), nextToken: z.string().optional() });
export const servingsQuery = pageQuery.extend({ date: isoDate });

export const menuParams = z.object({ siteId: id('meal site'), date: isoDate });
const dish = z.object({ name: z.string().trim().min(1).max(50), tags: z.array(z.enum(dietaryNeeds)).optional() });
export const putMenuBody = z.object({
  slots: z
    .object({ breakfast: z.array(dish).max(30).optional(), lunch: z.array(dish).max(30).optional(), dinner: z.array(dish).max(30).optional() })
    .refine((s) => Object.values(s).some(Boolean), 'at least one slot'),
  notes: z.string().max(500).optional(),
});
export const menu = putMenuBody.extend({ siteId: z.string(), date: isoDate, updatedAt: instant }).meta({ id: 'Menu' });
