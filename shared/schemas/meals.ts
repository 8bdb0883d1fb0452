import * as z from 'zod/mini';
import { clientKey, described, id, instant, isoDate, named, pageQuery, text, townshipCode, webUrl, whole } from './common.js';
import { cardNo, dietaryNeeds, elderCategories, idNumberInput } from './elders.js';
import { errorCodes, type ErrorCode } from '../http/error-codes.js';

export const slotName = z.enum(['breakfast', 'lunch', 'dinner']);
export const mealMode = z.enum(['dine_in', 'pickup', 'delivery']);
export const siteKinds = ['canteen', 'service_point', 'central_kitchen'] as const;
const fen = (max = 1_000_000) => whole(0, max);
const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (China Standard Time)'));

export const slotConfig = z.object({
  capacity: whole(1, 10_000),
  priceFen: fen(100_000),
  cutoff: described(hhmm, 'last time to book or cancel on the meal\'s date'),
});

export const createSiteBody = z.object({
  name: text(1, 100),
  township: townshipCode,
  kind: z.enum(siteKinds),
  address: text(1, 200),
  delivery: z.boolean(),
  slots: z
    .object({ breakfast: z.optional(slotConfig), lunch: z.optional(slotConfig), dinner: z.optional(slotConfig) })
    .check(z.refine((s) => Object.values(s).some(Boolean), 'at least one slot must be offered')),
  kitchenStreamUrl: described(z.optional(webUrl(500)), '明厨亮灶: live video of the kitchen'),
});

export const siteStatus = z.enum(['active', 'suspended']);
export const mealSite = named(
  z.extend(createSiteBody, {
    id: z.string(),
    county: z.string(),
    status: described(siteStatus, 'a suspended site takes no new bookings; its existing bookings stay and its servings are recorded'),
    createdAt: instant,
    updatedAt: instant,
  }),
  'MealSite',
);

/** A slot's settings to change: the fields given change; a slot the site does not offer yet needs all three. */
const slotPatch = z.strictObject({ capacity: z.optional(slotConfig.shape.capacity), priceFen: z.optional(slotConfig.shape.priceFen), cutoff: z.optional(slotConfig.shape.cutoff) });
export const patchSiteBody = described(
  z.strictObject({
    name: z.optional(text(1, 100)),
    address: z.optional(text(1, 200)),
    delivery: z.optional(z.boolean()),
    kitchenStreamUrl: z.optional(z.nullable(webUrl(500))),
    slots: z.optional(z.strictObject({ breakfast: z.optional(slotPatch), lunch: z.optional(slotPatch), dinner: z.optional(slotPatch) })),
    status: z.optional(siteStatus),
  }).check(z.refine((b) => Object.keys(b).length > 0, 'name at least one field to change')),
  'Only the fields given change (slots: per slot, per field); null clears kitchenStreamUrl. Township and kind are not changed here.',
);
export type PatchSiteInput = z.output<typeof patchSiteBody>;
export type MealSiteView = z.input<typeof mealSite>;

export const siteParams = z.object({ siteId: id('meal site') });
export const dateQuery = z.object({ date: isoDate });

export const availability = named(
  z.object({
    siteId: z.string(),
    date: isoDate,
    slots: z.array(z.object({ slot: slotName, capacity: z.int(), booked: z.int(), remaining: z.int(), priceFen: z.int(), cutoff: z.string(), open: z.boolean() })),
  }),
  'Availability',
);

export const subsidyRule = z.object({
  match: z.object({
    categories: described(z.optional(z.array(z.enum(elderCategories)).check(z.minLength(1), z.maxLength(elderCategories.length))), 'any one of these categories'),
    minAge: z.optional(whole(0, 150)),
    maxAge: z.optional(whole(0, 150)),
    capabilityLevelAtLeast: z.optional(whole(0, 4)),
  }),
  subsidyFen: fen(100_000),
});
export const putPolicyBody = z.object({
  effectiveFrom: isoDate,
  rules: z.array(subsidyRule).check(z.maxLength(50)),
  minPriceFen: z.optional(fen(100_000)),
  dailyCapFen: z.optional(fen(100_000)),
  deliverySubsidy: z.optional(z.object({ capabilityLevelAtLeast: whole(0, 4), subsidyFen: fen(100_000) })),
  siteSubsidyPerDinerFen: z.optional(fen(100_000)),
});
export const subsidyPolicy = named(z.extend(putPolicyBody, { county: z.string(), version: z.string(), updatedAt: instant }), 'SubsidyPolicy');

export const bookingStatus = z.enum(['booked', 'cancelled', 'served', 'no_show']);
export const createBookingBody = z
  .object({
    elderId: id('elder'),
    siteId: id('meal site'),
    date: isoDate,
    slot: slotName,
    mode: mealMode,
    deliveryAddress: z.optional(text(1, 200)),
  })
  .check(z.refine((b) => b.mode !== 'delivery' || b.deliveryAddress, { message: 'required for delivery', path: ['deliveryAddress'] }));
export const booking = named(
  z.object({
    id: z.string(),
    status: bookingStatus,
    elderId: z.string(),
    siteId: z.string(),
    date: isoDate,
    slot: slotName,
    mode: mealMode,
    deliveryAddress: z.optional(z.string()),
    priceFen: z.int(),
    subsidyFen: described(z.int(), 'expected subsidy; the serving decides the final amount'),
    payFen: z.int(),
    createdAt: instant,
    updatedAt: instant,
  }),
  'Booking',
);
export type BookingView = z.input<typeof booking>;
export const bookingParams = z.object({ bookingId: id('booking') });
export const bookingsQuery = z.extend(pageQuery, { elderId: id('elder') });
export const bookingList = z.object({ items: z.array(booking), nextToken: z.optional(z.string()) });

export const kitchenList = named(
  z.object({
    siteId: z.string(),
    date: isoDate,
    slots: z.array(z.object({
      slot: slotName,
      booked: z.int(),
      byMode: z.record(mealMode, z.int()),
      byDietaryNeed: z.record(z.enum(dietaryNeeds), z.int()),
    })),
    deliveries: z.array(z.object({ bookingId: z.string(), slot: slotName, elderName: z.string(), address: z.string(), dietaryNeeds: z.array(z.enum(dietaryNeeds)) })),
    bookings: z.array(booking),
    elders: described(
      z.array(z.object({ bookingId: z.string(), elderName: z.string(), dietaryNeeds: z.array(z.enum(dietaryNeeds)) })),
      'who each booked or served booking is for: the counter\'s pick list (names and needs the site already sees on its kitchen list)',
    ),
  }),
  'KitchenList',
);

/** The device's own id of a record: one id, one record (a resend is `duplicate`, other content `RECORD_ID_CONFLICT`). */
export const clientRecordId = described(clientKey(64), 'the device\'s id of this record, unique per meal site; sent again with the same content: `duplicate`; with other content: rejected `RECORD_ID_CONFLICT`');
export const servingRecord = named(
  z
    .object({
      clientRecordId,
      elderId: z.optional(id('elder')),
      idNumber: z.optional(idNumberInput),
      cardNo: z.optional(cardNo),
      servedAt: instant,
      slot: described(z.optional(slotName), 'inferred from servedAt (China Standard Time) when absent'),
      mode: mealMode,
      verifiedBy: z.enum(['face', 'card', 'id_card', 'manual']),
      bookingId: z.optional(id('booking')),
    })
    .check(z.refine((r) => [r.elderId, r.idNumber, r.cardNo].filter(Boolean).length === 1, { message: 'exactly one of elderId, idNumber and cardNo', path: ['elderId'] })),
  'ServingRecord',
);
export type ServingRecordInput = z.output<typeof servingRecord>;

export const servingResult = z.object({
  clientRecordId: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  servingId: z.optional(z.string()),
  priceFen: z.optional(z.int()),
  subsidyFen: z.optional(z.int()),
  payFen: z.optional(z.int()),
  error: z.optional(z.object({ code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]), message: z.string(), details: z.optional(z.array(z.looseObject({ path: z.optional(z.string()), message: z.string() }))) })),
});
/** Lenient on purpose: each record is validated on its own, so one bad record fails alone. */
export const servingsBody = z.object({ records: z.array(z.looseObject({ clientRecordId })).check(z.minLength(1), z.maxLength(200)) });
export const servingsBodyDoc = z.object({ records: z.array(servingRecord).check(z.minLength(1), z.maxLength(200)) });
export const servingsResults = z.object({ results: z.array(servingResult) });

export const serving = named(
  z.object({
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
    priceFen: z.int(),
    subsidyFen: z.int(),
    payFen: z.int(),
    subsidyBasis: z.string(),
    policyVersion: z.optional(z.string()),
    categories: described(z.array(z.string()), 'the elder\'s categories as they stood that day'),
    age: z.int(),
    capabilityLevel: z.optional(z.int()),
    bookingId: z.optional(z.string()),
    recordedAt: instant,
    voided: z.optional(z.object({ at: instant, by: z.string(), reason: z.string() })),
  }),
  'Serving',
);
export type ServingView = z.input<typeof serving>;
export const servingParams = z.object({ servingId: z.string().check(z.minLength(1), z.maxLength(400), z.regex(/^[A-Za-z0-9_-]+$/, 'must be a serving id')) });
export const voidBody = z.object({ reason: text(2, 500, { multiline: true }) });
export const servingList = z.object({ items: z.array(serving), nextToken: z.optional(z.string()) });
export const servingsQuery = z.extend(pageQuery, { date: isoDate });

export const menuParams = z.object({ siteId: id('meal site'), date: isoDate });
const dish = z.object({ name: text(1, 50), tags: z.optional(z.array(z.enum(dietaryNeeds)).check(z.maxLength(dietaryNeeds.length))) });
const dishes = z.optional(z.array(dish).check(z.maxLength(30)));
export const putMenuBody = z.object({
  slots: z.object({ breakfast: dishes, lunch: dishes, dinner: dishes }).check(z.refine((s) => Object.values(s).some(Boolean), 'at least one slot')),
  notes: z.optional(text(0, 500, { multiline: true })),
});
export const menu = named(z.extend(putMenuBody, { siteId: z.string(), date: isoDate, updatedAt: instant }), 'Menu');
