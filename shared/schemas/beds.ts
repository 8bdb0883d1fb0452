import * as z from 'zod';
import { id, instant, isoDate, pageQuery, townshipCode } from './common.js';

export const institutionKinds = ['welfare_home', 'public', 'private', 'public_built_private_run', 'regional_center', 'community', 'day_care', 'rural_happiness_home'] as const;
export const careType = z.enum(['nursing', 'ordinary']);
export const bedStatus = z.enum(['vacant', 'occupied', 'reserved', 'out_of_service']);
const tag = z.string().trim().regex(/^[a-z][a-z0-9_]{1,31}$/, 'must be a lower-case tag such as dementia_care');

export const createInstitutionBody = z.object({
  name: z.string().trim().min(1).max(100),
  township: townshipCode,
  kind: z.enum(institutionKinds),
  starRating: z.number().int().min(1).max(5).optional().describe('养老机构等级评定, 1-5 stars'),
});
export const institution = createInstitutionBody.extend({ id: z.string(), county: z.string(), createdAt: instant }).meta({ id: 'Institution' });
export const institutionParams = z.object({ institutionId: id('institution') });

/** At most 95 per call: one transaction with the three counters, all or nothing. */
export const addBedsBody = z.object({
  beds: z
    .array(z.object({ label: z.string().trim().min(1).max(60).describe('as staff say it: building, floor, room, bed'), careType, tags: z.array(tag).max(10).default([]) }))
    .min(1)
    .max(95)
    .refine((beds) => new Set(beds.map((b) => b.label)).size === beds.length, 'labels must be unique'),
});
export const bed = z
  .object({
    id: z.string(),
    institutionId: z.string(),
    label: z.string(),
    careType,
    tags: z.array(z.string()),
    status: bedStatus,
    occupant: z.object({ elderId: z.string(), since: instant }).optional(),
    updatedAt: instant,
  })
  .meta({ id: 'Bed' });
export const bedList = z.object({ items: z.array(bed), nextToken: z.string().optional() });
export const bedsQuery = pageQuery.extend({ status: bedStatus.optional() });
export const bedParams = z.object({ bedId: id('bed') });
export const bedStatusBody = z.object({ status: z.enum(['vacant', 'reserved', 'out_of_service']), reason: z.string().trim().max(200).optional() });

export const admissionBody = z.object({ bedId: id('bed'), elderId: id('elder'), admittedAt: instant });
export const dischargeBody = z.object({ elderId: id('elder'), dischargedAt: instant, reason: z.string().trim().min(1).max(200) });
export const transferBody = z.object({ elderId: id('elder'), toBedId: id('bed'), reason: z.string().trim().max(200).optional() });
export const residence = z
  .object({ elderId: z.string(), institutionId: z.string(), bedId: z.string(), bedLabel: z.string(), since: instant })
  .meta({ id: 'Residence' });

export const homeCareBody = z.object({ elderId: id('elder'), institutionId: id('institution'), address: z.string().trim().min(1).max(200), startedAt: isoDate });
export const homeCareBed = z
  .object({ id: z.string(), elderId: z.string(), institutionId: z.string(), county: z.string(), township: z.string(), address: z.string(), startedAt: isoDate, status: z.enum(['open', 'closed']), closedAt: isoDate.optional() })
  .meta({ id: 'HomeCareBed' });
export const homeCareParams = z.object({ id: id('home care bed') });
export const closeHomeCareBody = z.object({ closedAt: isoDate, reason: z.string().trim().max(200).optional() });

const figures = z.object({
  beds: z.number().int(),
  occupied: z.number().int(),
  vacant: z.number().int(),
  reserved: z.number().int(),
  outOfService: z.number().int(),
  occupancyRate: z.number(),
  nursing: z.object({ beds: z.number().int(), occupied: z.number().int(), vacant: z.number().int() }),
  nursingShare: z.number(),
  homeCareBeds: z.number().int(),
  elderlyPopulation: z.number().int(),
  bedsPer1000Elders: z.number().nullable(),
});
export const occupancy = figures
  .extend({
    scope: z.object({ county: z.string(), township: z.string().optional(), institutionId: z.string().optional() }),
    byTownship: z.array(figures.extend({ township: z.string(), name: z.string().optional() })),
    byInstitution: z.array(figures.extend({ institutionId: z.string(), name: z.string(), township: z.string() })).optional(),
  })
  .meta({ id: 'Occupancy' });
export const occupancyQuery = z.object({ township: townshipCode.optional(), institutionId: id('institution').optional() });

export const vacanciesQuery = z.object({ careType: careType.optional(), township: townshipCode.optional(), tag: tag.optional() });
export const vacancies = z
  .object({
    items: z.array(z.object({
      institutionId: z.string(), name: z.string(), township: z.string(), kind: z.string(), starRating: z.number().int().optional(),
      vacant: z.number().int(), lastBedUpdateAt: instant.optional(), stale: z.boolean().describe('no bed update for more than 7 days: call before sending a family'),
    })),
  })
  .meta({ id: 'Vacancies' });

export const historyQuery = z.object({ from: isoDate, to: isoDate, township: townshipCode.optional() });
export const history = z.object({ items: z.array(figures.extend({ date: isoDate })) }).meta({ id: 'OccupancyHistory' });

export const bedLog = z
  .object({
    items: z.array(z.object({
      action: z.enum(['beds_added', 'admitted', 'discharged', 'transferred', 'status_changed']),
      at: instant,
      by: z.string().describe('role:subject of who made the change'),
      elderId: z.string().optional(),
      bedId: z.string().optional(),
      toBedId: z.string().optional(),
      status: z.string().optional(),
      reason: z.string().optional(),
      count: z.number().int().optional(),
    })),
    nextToken: z.string().optional(),
  })
  .meta({ id: 'BedLog' });
