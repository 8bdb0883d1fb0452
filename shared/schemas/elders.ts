import * as z from 'zod/mini';
import { clientKey, described, id, instant, isoDate, named, pageQuery, text, townshipCode, villageCode, whole } from './common.js';
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
export const capabilityLevel = whole(0, 4);
export const idNumberInput = described(
  z.string().check(
    z.trim(),
    z.maxLength(32),
    z.superRefine((value, ctx) => {
      const r = parseIdNumber(value, cstDate(new Date()));
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
    }),
  ),
  '18-character resident ID number (GB 11643); checked for format, area, a real birth date and the ISO 7064 MOD 11-2 check character',
);
const name = text(1, 50);
export const phone = z.string().check(z.trim(), z.regex(/^\+?[0-9-]{5,20}$/, 'must be a phone number'));
export const cardNo = z.string().check(z.trim(), z.regex(/^[A-Za-z0-9-]{4,32}$/, 'must be 4-32 letters, digits or dashes'));

export const putTownshipBody = z.object({
  name: text(1, 50),
  elderlyPopulation: whole(0, 10_000_000),
});
export const township = named(z.extend(putTownshipBody, { code: townshipCode, county: z.string(), updatedAt: instant }), 'Township');

export const registerElderBody = z.object({
  idNumber: idNumberInput,
  name,
  phone: z.optional(phone),
  township: townshipCode,
  village: z.optional(villageCode),
  categories: z._default(z.array(z.enum(elderCategories)).check(z.maxLength(elderCategories.length)), []),
  capabilityLevel: z.optional(capabilityLevel),
  dietaryNeeds: z._default(z.array(z.enum(dietaryNeeds)).check(z.maxLength(dietaryNeeds.length)), []),
  cardNo: z.optional(cardNo),
});

/** What staff (of the area) and linked families see. Never the full ID number. */
export const elderView = named(
  z.object({
    id: z.string(),
    idNumberMasked: described(z.string(), 'first 6 and last 4 characters, the rest as *'),
    name: z.string(),
    phone: z.optional(z.string()),
    birthDate: isoDate,
    age: z.int(),
    gender: z.enum(['male', 'female']),
    county: z.string(),
    township: z.string(),
    village: z.optional(z.string()),
    address: z.optional(z.string()),
    categories: z.array(z.enum(elderCategories)),
    capabilityLevel: z.optional(capabilityLevel),
    dietaryNeeds: z.array(z.enum(dietaryNeeds)),
    cardNo: z.optional(z.string()),
    status: z.enum(['active', 'deceased']),
    dateOfDeath: z.optional(isoDate),
    registeredAt: instant,
  }),
  'Elder',
);

/** What a meal site sees at the counter: enough to serve the right person the right food. */
export const elderMinimalView = named(
  z.object({
    id: z.string(),
    idNumberMasked: z.string(),
    name: z.string(),
    age: z.int(),
    gender: z.enum(['male', 'female']),
    township: z.string(),
    dietaryNeeds: z.array(z.enum(dietaryNeeds)),
    status: z.enum(['active', 'deceased']),
  }),
  'ElderMinimal',
);

export const elderParams = z.object({ elderId: id('elder') });
export const reportDeceasedBody = z.object({ dateOfDeath: isoDate });

export const lookupElderBody = described(
  z.union([z.strictObject({ idNumber: idNumberInput }), z.strictObject({ cardNo })]),
  'exactly one of idNumber or cardNo',
);

export const familyLinkBody = z.object({
  familySub: described(clientKey(128), 'the family account\'s subject (the `sub` of its token)'),
  relation: z.enum(familyRelations),
});
export const familyLink = named(z.object({ elderId: z.string(), familySub: z.string(), relation: z.enum(familyRelations), linkedAt: instant }), 'FamilyLink');

// ---- administration (staff): search, edit, unlink

/**
 * What `q` of the staff search may be: a full ID number (matched by its fingerprint, never by a
 * stored number), a meal card number, or the first characters of a name.
 */
export const elderSearchQuery = z.extend(pageQuery, {
  township: z.optional(townshipCode),
  q: described(z.optional(text(1, 50)), 'a full 18-character ID number, a meal card number (4-32 letters, digits or dashes, with at least one digit), or the start of a name'),
});

/** A field that can be cleared with null (a lost card, a phone no longer in use). */
const clearable = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

export const patchElderBody = described(
  z.strictObject({
    phone: clearable(phone),
    address: clearable(text(1, 200)),
    village: clearable(villageCode),
    categories: z.optional(z.array(z.enum(elderCategories)).check(z.maxLength(elderCategories.length))),
    capabilityLevel: z.optional(capabilityLevel),
    dietaryNeeds: z.optional(z.array(z.enum(dietaryNeeds)).check(z.maxLength(dietaryNeeds.length))),
    cardNo: clearable(cardNo),
  }).check(z.refine((b) => Object.keys(b).length > 0, 'name at least one field to change')),
  'Only the fields given change; null clears phone, address, village or cardNo. Name, ID number, birth date and township are not changed here.',
);

export const familyLinkParams = z.object({ elderId: id('elder'), familySub: clientKey(128) });
export const removedFamilyLink = named(z.object({ elderId: z.string(), familySub: z.string(), relation: z.enum(familyRelations), linkedAt: instant, unlinkedAt: instant }), 'RemovedFamilyLink');
export const elderList = z.object({ items: z.array(elderView), nextToken: z.optional(z.string()) });

export type PatchElderInput = z.output<typeof patchElderBody>;
export type RegisterElderInput = z.output<typeof registerElderBody>;
export type ElderView = z.input<typeof elderView>;
export type ElderMinimalView = z.input<typeof elderMinimalView>;
export type FamilyRelation = (typeof familyRelations)[number];

/** One line of an elder's audit trail: who read or changed the record, when, from where (never the data). */
export const auditLine = named(z.object({
  elderId: z.string(),
  at: instant,
  sub: z.string(),
  role: z.enum(['staff', 'site', 'institution', 'family', 'platform']),
  route: z.string(),
  action: z.enum(['read', 'change']),
  sourceIp: z.string(),
  requestId: z.string(),
}), 'AuditLine');
export const auditTrail = z.object({ items: z.array(auditLine), nextToken: z.optional(z.string()) });
