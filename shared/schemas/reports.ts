import * as z from 'zod';
import { id, instant, isoDate, pageQuery, townshipCode } from './common.js';
import { mealMode, slotName } from './meals.js';

export const monthQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM') });

const summary = z.object({
  servings: z.number().int(),
  bySlot: z.record(slotName, z.number().int()),
  byMode: z.record(mealMode, z.number().int()),
  subsidisedMeals: z.number().int(),
  subsidyFen: z.number().int(),
  distinctElders: z.number().int(),
  siteSubsidyFen: z.number().int(),
  voided: z.number().int(),
});
export const dailyReport = z
  .object({
    date: isoDate,
    township: z.string().optional(),
    sites: z.array(summary.extend({ siteId: z.string(), name: z.string(), township: z.string() })),
    totals: summary.describe('distinctElders here is summed over sites'),
  })
  .meta({ id: 'DailyMealReport' });

const line = z.object({
  kind: z.enum(['meal', 'site_diner_day']),
  date: isoDate,
  servingId: z.string().optional(),
  slot: z.string().optional(),
  elderId: z.string().optional(),
  elderName: z.string().optional(),
  idNumberMasked: z.string().optional(),
  mode: z.string().optional(),
  priceFen: z.number().int().optional(),
  payFen: z.number().int().optional(),
  policyVersion: z.string().optional(),
  categories: z.array(z.string()).optional(),
  diners: z.number().int().optional(),
  subsidyFen: z.number().int(),
});
export const settlement = z
  .object({
    siteId: z.string(),
    siteName: z.string(),
    month: z.string(),
    meals: z.number().int(),
    subsidisedMeals: z.number().int(),
    mealSubsidyFen: z.number().int(),
    siteSubsidyFen: z.number().int(),
    totalFen: z.number().int().describe('mealSubsidyFen + siteSubsidyFen: the sum of the lines\' subsidyFen'),
    byCategory: z.array(z.object({ category: z.string(), meals: z.number().int(), subsidyFen: z.number().int() })).describe('an elder in several categories counts in each'),
    lines: z.array(line),
  })
  .meta({ id: 'Settlement' });
export const settlementQuery = monthQuery.extend({ siteId: id('meal site') });

export const anomalies = z
  .object({ month: z.string(), township: z.string().optional(), items: z.array(z.object({ kind: z.string() }).loose()) })
  .meta({ id: 'MealAnomalies' });
export const anomaliesQuery = monthQuery.extend({ township: townshipCode.optional() });

export const alert = z
  .object({
    id: z.string(),
    kind: z.literal('no_show_living_alone'),
    status: z.enum(['open', 'closed']),
    county: z.string(),
    township: z.string(),
    elderId: z.string(),
    bookingId: z.string(),
    siteId: z.string(),
    date: isoDate,
    slot: slotName,
    raisedAt: instant,
    closed: z.object({ at: instant, by: z.string(), note: z.string() }).optional(),
  })
  .meta({ id: 'WelfareAlert' });
export const alertsQuery = pageQuery.extend({ status: z.enum(['open', 'closed', 'all']).default('open'), township: townshipCode.optional() });
export const alertParams = z.object({ alertId: id('alert') });
export const closeAlertBody = z.object({ note: z.string().trim().min(2).max(1000).describe('what the visit found (探访关爱)') });
