import * as z from 'zod/mini';
import { careType } from './beds.js';
import { described, id, instant, isoDate, named, pageQuery, text, townshipCode, whole } from './common.js';
import { elderCategories } from './elders.js';

/**
 * Care-bed applications and the waiting list (轮候): the county's admission policy, the
 * applications and the queue. Offers (a bed held for the next application) are in offers.ts.
 */

const bedTag = z.string().check(z.trim(), z.regex(/^[a-z][a-z0-9_]{1,31}$/, 'must be a lower-case tag such as dementia_care'));

export const priorityClass = z.object({
  name: described(text(1, 40), 'as the published policy names the class, e.g. 特困供养'),
  match: described(
    z.object({
      categories: described(z.optional(z.array(z.enum(elderCategories)).check(z.minLength(1), z.maxLength(elderCategories.length))), 'any one of these categories'),
      capabilityLevelAtLeast: z.optional(whole(0, 4)),
      minAge: z.optional(whole(0, 150)),
    }),
    'every condition given must hold; an empty match takes everyone',
  ),
});

export const putAdmissionPolicyBody = z.object({
  effectiveFrom: isoDate,
  classes: described(
    z.array(priorityClass).check(z.maxLength(20), z.refine((cs) => new Set(cs.map((c) => c.name)).size === cs.length, 'class names must be unique')),
    'in order of priority: the first class an elder matches is theirs; an elder matching none ranks after every class (as 其他)',
  ),
  offerHoldDays: described(z._default(whole(1, 30), 3), 'days a bed is held for an offer'),
  declinesBeforeRequeue: described(whole(0, 10), 'after this many declined offers an application moves to the end of its class (0: never)'),
});
export const admissionPolicy = named(z.extend(putAdmissionPolicyBody, { county: z.string(), version: z.string(), updatedAt: instant }), 'AdmissionPolicy');
export const admissionPolicyQuery = z.object({ date: z.optional(isoDate) });

export const applicationStatus = z.enum(['waiting', 'offered', 'admitted', 'withdrawn']);

export const fileApplicationBody = z.object({
  elderId: id('elder'),
  careType,
  tags: described(z._default(z.array(bedTag).check(z.maxLength(10)), []), 'care the elder needs, as bed tags (dementia_care...)'),
  institutionIds: described(
    z.optional(z.array(id('institution')).check(z.minLength(1), z.maxLength(10), z.refine((ids) => new Set(ids).size === ids.length, 'institutions must be unique'))),
    'preferred institutions, in the county; absent: any institution (of `township` if given)',
  ),
  township: described(z.optional(townshipCode), 'preferred township, when no institution is named'),
});

const applicationShape = z.object({
    id: z.string(),
    elderId: z.string(),
    county: z.string(),
    elderTownship: described(z.string(), 'the elder\'s township: its staff see the application'),
    status: applicationStatus,
    careType,
    tags: z.array(z.string()),
    institutionIds: z.optional(z.array(z.string())),
    township: z.optional(z.string()),
    capabilityLevelAtFiling: described(z.optional(z.int()), 'the elder\'s assessment level (GB/T 42195-2022) when the application was filed'),
    categoriesAtFiling: z.array(z.string()),
    appliedAt: instant,
    declinedAt: described(z.array(instant), 'when the elder declined offers (or let them expire), oldest first'),
    offerId: described(z.optional(z.string()), 'while offered: the open offer'),
    withdrawnAt: z.optional(instant),
    admittedAt: described(z.optional(instant), 'admitted: the admission\'s date (through an accepted offer)'),
    filedBy: z.string(),
    priorityClass: described(z.optional(z.string()), 'the class under the policy in force today (China Standard Time); 其他 when no class matches (or no policy is in force); absent when closed'),
    position: described(z.optional(z.int()), 'place in the county\'s pooled queue today, 1 first; absent when closed'),
    queuedAt: z.optional(instant),
});
export const bedApplication = named(applicationShape, 'BedApplication');

/**
 * What a family sees of its elder's application: where they are and why (class, its rank, the
 * time that orders them within it), nothing of others. The reason a page can write from it:
 * 「属于第 classRank+1 类（priorityClass），自 queuedAt 起排队，目前第 position 位」.
 */
export const bedApplicationFamilyView = named(
  z.object({
    id: z.string(),
    elderId: z.string(),
    status: applicationStatus,
    position: z.optional(z.int()),
    priorityClass: z.optional(z.string()),
    classRank: described(z.optional(z.int()), 'the class\'s place in the policy, 0 for its first class; the number of classes for 其他; absent when closed'),
    queuedAt: described(z.optional(instant), 'the time that orders the application within its class: appliedAt, or the last decline that moved it to the end of its class; absent when closed'),
    requeued: described(z.optional(z.boolean()), 'true when declined offers moved the application to the end of its class; absent when closed'),
    appliedAt: instant,
    offer: described(
      z.optional(z.object({ institutionName: z.string(), bedLabel: z.string(), expiresAt: instant })),
      'while offered: where the bed is held and until when',
    ),
    withdrawnAt: z.optional(instant),
  }),
  'BedApplicationFamilyView',
);

export const queueEntry = named(
  z.extend(applicationShape, { position: z.int(), priorityClass: z.string(), queuedAt: instant, classRank: z.int(), requeued: z.boolean() }),
  'QueueEntry',
);

export const applicationsQuery = z.extend(pageQuery, {
  institutionId: described(z.optional(id('institution')), 'that institution\'s queue; absent: the county\'s pooled queue'),
  status: described(z.optional(z.enum(['waiting', 'offered'])), 'open applications of one status; absent: both (the queue)'),
  careType: described(z.optional(careType), 'the queue for beds of this care type (positions count within it); absent: both'),
});
export const queuePage = z.object({
  policyVersion: described(z.optional(z.string()), 'effectiveFrom of the admission policy that ordered the queue; absent when the county has none in force (then every application is 其他, in order of filing)'),
  date: described(isoDate, 'the China Standard Time date the queue is ordered for (ages are counted on it)'),
  items: z.array(queueEntry),
  nextToken: z.optional(z.string()),
});
export const applicationParams = z.object({ id: id('application') });
export const elderApplicationParams = z.object({ elderId: id('elder') });
