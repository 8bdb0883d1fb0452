import * as z from 'zod';
import { id, instant, isoDate, townshipCode, villageCode } from './common.js';
import { parseIdNumber } from '../id-number.js';
import { cstDate } from '../time.js';

export const elderCategories = [
  'dibao',
  'dibao_edge',
  'tekun',
  'low_income',
  'living_alone',
  'empty_nest',
  'left_behind',
  'disabled',
] as const;
export const dietaryNeeds = ['diabetic', 'low_salt', 'soft', 'minced', 'halal', 'vegetarian'] as const;
export const familyRelations = ['child', 'spouse', 'grandchild', 'sibling', 'other_relative', 'guardian', 'other'] as const;

/** GB/T 42195-2022 levels: 0 intact ... 4 completely lost. */
export const capabilityLevel = z.number().int().min(0).max(4);
const idNumberInput = z
  .string()
  .trim()
  .max(32)
  .superRefine((value, ctx) => {
    const r = parseIdNumber(value, cstDate(new Date()));
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
  })
  .describe('18-character resident ID number (GB 11643); checked for format, area, a real birth date and the ISO 7064 MOD 11-2 check character');
const name = z.string().trim().min(1).max(50);
const phone = z.string().trim().regex(/^\+?[0-9-]{5,20}$/, 'must be a phone number');
const cardNo = z.string().trim().regex(/^[A-Za-z0-9-]{4,32}$/, 'must be 4-32 letters, digits or dashes');

export const putTownshipBody = z.object({
  name: z.string().trim().min(1).max(50),
  elderlyPopulation: z.number().int().min(0).max(10_000_000),
});
export const township = putTownshipBody.extend({ code: townshipCode, county: z.string(), updatedAt: instant }).meta({ id: 'Township' });

export const registerElderBody = z.object({
  idNumber: idNumberInput,
  name,
  phone: phone.optional(),
  township: townshipCode,
  village: villageCode.optional(),
  categories: z.array(z.enum(elderCategories)).max(elderCategories.length).default([]),
  capabilityLevel: capabilityLevel.optional(),
  dietaryNeeds: z.array(z.enum(dietaryNeeds)).max(dietaryNeeds.length).default([]),
  cardNo: cardNo.optional(),
});

/** What staff (of the area) and linked families see. Never the full ID number. */
export const elderView = z
  .object({
    id: z.string(),
    idNumberMasked: z.string().describe('first 6 and last 4 characters, the rest as *'),
    name: z.string(),
    phone: z.string().optional(),
    birthDate: isoDate,
    age: z.number().int(),
    gender: z.enum(['male', 'female']),
    county: z.string(),
    township: z.string(),
    village: z.string().optional(),
    categories: z.array(z.enum(elderCategories)),
    capabilityLevel: capabilityLevel.optional(),
    dietaryNeeds: z.array(z.enum(dietaryNeeds)),
    cardNo: z.string().optional(),
    status: z.enum(['active', 'deceased']),
    dateOfDeath: isoDate.optional(),
    registeredAt: instant,
  })
  .meta({ id: 'Elder' });

/** What a meal site sees at the counter: enough to serve the right person the right food. */
export const elderMinimalView = z
  .object({
    id: z.string(),
    idNumberMasked: z.string(),
    name: z.string(),
    age: z.number().int(),
    gender: z.enum(['male', 'female']),
    township: z.string(),
    dietaryNeeds: z.array(z.enum(dietaryNeeds)),
    status: z.enum(['active', 'deceased']),
  })
  .meta({ id: 'ElderMinimal' });

export const elderParams = z.object({ elderId: id('elder') });
export const reportDeceasedBody = z.object({ dateOfDeath: isoDate });

export const lookupElderBody = z.union([
  z.object({ idNumber: idNumberInput }).strict(),
  z.object({ cardNo }).strict(),
]).describe('exactly one of idNumber or cardNo');

export const familyLinkBody = z.object({
  familySub: z.string().trim().min(1).max(128).describe('the family account\'s subject (the `sub` of its token)'),
  relation: z.enum(familyRelations),
});
export const familyLink = z
  .object({ elderId: z.string(), familySub: z.string(), relation: z.enum(familyRelations), linkedAt: instant })
  .meta({ id: 'FamilyLink' });

export type RegisterElderInput = z.output<typeof registerElderBody>;
export type ElderView = z.input<typeof elderView>;
export type ElderMinimalView = z.input<typeof elderMinimalView>;
export type FamilyRelation = (typeof familyRelations)[number];
