import * as z from 'zod/mini';
import { institutionKinds } from '../institution-kinds.js';
import { described, id, instant, isoDate, named, pageQuery, text, townshipCode, whole } from './common.js';

// The kinds are plain data in shared/institution-kinds.ts (jobs import them without zod).
export { institutionKinds, waitingListKinds } from '../institution-kinds.js';

export const careType = z.enum(['nursing', 'ordinary']);
export const bedStatus = z.enum(['vacant', 'occupied', 'reserved', 'out_of_service']);
const tag = z.string().check(z.trim(), z.regex(/^[a-z][a-z0-9_]{1,31}$/, 'must be a lower-case tag such as dementia_care'));
/** A reason staff may give: optional, free text on one or more lines. */
const upTo200 = z.optional(text(0, 200, { multiline: true }));

export const createInstitutionBody = z.object({
  name: text(1, 100),
  township: townshipCode,
  kind: z.enum(institutionKinds),
  starRating: described(z.optional(whole(1, 5)), '养老机构等级评定, 1-5 stars'),
  address: z.optional(text(1, 200)),
});
export const institution = named(z.extend(createInstitutionBody, { id: z.string(), county: z.string(), createdAt: instant, updatedAt: z.optional(instant) }), 'Institution');
export const institutionParams = z.object({ institutionId: id('institution') });
export const institutionList = z.object({ items: z.array(institution), nextToken: z.optional(z.string()) });
export const institutionsQuery = z.extend(pageQuery, { township: z.optional(townshipCode), kind: z.optional(z.enum(institutionKinds)) });
export const patchInstitutionBody = described(
  z.strictObject({
    name: z.optional(text(1, 100)),
    address: z.optional(z.nullable(text(1, 200))),
    kind: z.optional(z.enum(institutionKinds)),
    starRating: z.optional(z.nullable(whole(1, 5))),
  }).check(z.refine((b) => Object.keys(b).length > 0, 'name at least one field to change')),
  'Only the fields given change; null clears address or starRating. The township is not changed here: beds and occupancy counters are filed under it.',
);
export type PatchInstitutionInput = z.output<typeof patchInstitutionBody>;

/**
 * Distinct tags an institution's beds may carry, all beds together. The institution's counter
 * item keeps a vacant count per care type and tag, moved by one update expression on every bed
 * change; DynamoDB limits an expression to 4 KB, which about 330 tags in one request reached
 * (a 500). At 16 (a realistic institution uses a dozen), the expression stays under 1 KB and the
 * counter item under 3 KB, whatever the tags. The schema bounds a request; the write checks the
 * institution's tags already in use (functions/beds/institutions.ts).
 */
export const MAX_TAGS_PER_INSTITUTION = 16;

/** At most 95 per call: one transaction with the three counters, all or nothing. */
export const addBedsBody = z.object({
  beds: z
    .array(z.object({
      label: described(text(1, 60), 'as staff say it: building, floor, room, bed'),
      careType,
      tags: described(z._default(z.array(tag).check(z.maxLength(10)), []), `at most 10 per bed, and at most ${MAX_TAGS_PER_INSTITUTION} distinct across all of the institution's beds`),
    }))
    .check(
      z.minLength(1),
      z.maxLength(95),
      z.refine((beds) => new Set(beds.map((b) => b.label)).size === beds.length, 'labels must be unique'),
      z.refine((beds) => new Set(beds.flatMap((b) => b.tags)).size <= MAX_TAGS_PER_INSTITUTION, `at most ${MAX_TAGS_PER_INSTITUTION} distinct tags across an institution's beds`),
    ),
});
export const bed = named(
  z.object({
    id: z.string(),
    institutionId: z.string(),
    label: z.string(),
    careType,
    tags: z.array(z.string()),
    status: bedStatus,
    occupant: z.optional(z.object({ elderId: z.string(), since: instant })),
    vacantSince: described(z.optional(instant), 'when the last occupant left (discharge or transfer, as dated); an admission or transfer into the bed can\'t be dated earlier'),
    offerId: described(z.optional(z.string()), 'reserved for this open offer of the waiting list: it changes only by accepting, declining or the offer expiring'),
    updatedAt: instant,
  }),
  'Bed',
);
export const bedList = z.object({ items: z.array(bed), nextToken: z.optional(z.string()) });
export const bedsQuery = z.extend(pageQuery, { status: z.optional(bedStatus) });
export const bedParams = z.object({ bedId: id('bed') });
export const bedStatusBody = z.object({ status: z.enum(['vacant', 'reserved', 'out_of_service']), reason: upTo200 });

export const admissionBody = z.object({
  bedId: id('bed'),
  elderId: id('elder'),
  admittedAt: described(instant, 'when the elder moved in: now, or earlier for a late entry (the bed is occupied from now either way); not after now + 5 minutes, not before the birth date, the bed\'s last occupant leaving or the elder\'s last discharge'),
});
export const dischargeBody = z.object({
  elderId: id('elder'),
  dischargedAt: described(instant, 'not after now + 5 minutes, not before the residence\'s `since` (admission or last transfer)'),
  reason: text(1, 200, { multiline: true }),
});
export const transferBody = z.object({
  elderId: id('elder'),
  toBedId: id('bed'),
  transferredAt: described(z.optional(instant), 'when the elder moved (default now); not after now + 5 minutes, not before the residence\'s `since`, nor before the target bed\'s `vacantSince`'),
  reason: upTo200,
});
export const residence = named(z.object({ elderId: z.string(), institutionId: z.string(), bedId: z.string(), bedLabel: z.string(), since: instant }), 'Residence');

export const homeCareBody = z.object({
  elderId: id('elder'),
  institutionId: id('institution'),
  address: text(1, 200),
  startedAt: described(isoDate, 'China Standard Time; not after today, not before the birth date or the close of the elder\'s previous home care bed'),
});
export const homeCareBed = named(
  z.object({ id: z.string(), elderId: z.string(), institutionId: z.string(), county: z.string(), township: z.string(), address: z.string(), startedAt: isoDate, status: z.enum(['open', 'closed']), closedAt: z.optional(isoDate) }),
  'HomeCareBed',
);
export const homeCareParams = z.object({ id: id('home care bed') });
export const closeHomeCareBody = z.object({ closedAt: described(isoDate, 'China Standard Time; not after today, not before `startedAt`'), reason: upTo200 });

const figures = z.object({
  beds: z.int(),
  occupied: z.int(),
  vacant: z.int(),
  reserved: z.int(),
  outOfService: z.int(),
  occupancyRate: z.number(),
  nursing: z.object({ beds: z.int(), occupied: z.int(), vacant: z.int() }),
  nursingShare: z.number(),
  homeCareBeds: z.int(),
  elderlyPopulation: z.int(),
  bedsPer1000Elders: z.nullable(z.number()),
});
export const occupancy = named(
  z.extend(figures, {
    scope: z.object({ county: z.string(), township: z.optional(z.string()), institutionId: z.optional(z.string()) }),
    byTownship: z.array(z.extend(figures, { township: z.string(), name: z.optional(z.string()) })),
    byInstitution: z.optional(z.array(z.extend(figures, { institutionId: z.string(), name: z.string(), township: z.string() }))),
  }),
  'Occupancy',
);
export const occupancyQuery = z.object({ township: z.optional(townshipCode), institutionId: z.optional(id('institution')) });

export const vacanciesQuery = z.object({ careType: z.optional(careType), township: z.optional(townshipCode), tag: z.optional(tag) });
export const vacancies = named(
  z.object({
    items: z.array(z.object({
      institutionId: z.string(), name: z.string(), township: z.string(), kind: z.string(), starRating: z.optional(z.int()),
      vacant: z.int(), lastBedUpdateAt: z.optional(instant), stale: described(z.boolean(), 'no bed update for more than 7 days: call before sending a family'),
    })),
  }),
  'Vacancies',
);

export const historyQuery = z.object({ from: isoDate, to: isoDate, township: z.optional(townshipCode) });
export const history = named(z.object({ items: z.array(z.extend(figures, { date: isoDate })) }), 'OccupancyHistory');

export const bedLog = named(
  z.object({
    items: z.array(z.object({
      action: z.enum(['beds_added', 'admitted', 'discharged', 'transferred', 'status_changed', 'offer_made', 'offer_accepted', 'offer_declined', 'offer_expired', 'offer_withdrawn']),
      at: instant,
      by: described(z.string(), 'role:subject of who made the change'),
      elderId: z.optional(z.string()),
      bedId: z.optional(z.string()),
      toBedId: z.optional(z.string()),
      status: z.optional(z.string()),
      reason: z.optional(z.string()),
      count: z.optional(z.int()),
      offerId: z.optional(z.string()),
    })),
    nextToken: z.optional(z.string()),
  }),
  'BedLog',
);
