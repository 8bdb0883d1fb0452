import * as z from 'zod/mini';
import { described, id, instant, isoDate, named, pageQuery, text, townshipCode } from './common.js';
import { mealMode, slotName } from './meals.js';

export const monthQuery = z.object({ month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')) });

const summary = z.object({
  servings: z.int(),
  bySlot: z.record(slotName, z.int()),
  byMode: z.record(mealMode, z.int()),
  subsidisedMeals: z.int(),
  subsidyFen: z.int(),
  distinctElders: z.int(),
  siteSubsidyFen: z.int(),
  voided: z.int(),
});
export const dailyReport = named(
  z.object({
    date: isoDate,
    township: z.optional(z.string()),
    sites: z.array(z.extend(summary, { siteId: z.string(), name: z.string(), township: z.string() })),
    totals: described(summary, 'distinctElders here is summed over sites'),
  }),
  'DailyMealReport',
);

const line = z.object({
  kind: z.enum(['meal', 'site_diner_day']),
  date: isoDate,
  servingId: z.optional(z.string()),
  slot: z.optional(z.string()),
  elderId: z.optional(z.string()),
  elderName: z.optional(z.string()),
  idNumberMasked: z.optional(z.string()),
  mode: z.optional(z.string()),
  priceFen: z.optional(z.int()),
  payFen: z.optional(z.int()),
  policyVersion: z.optional(z.string()),
  categories: z.optional(z.array(z.string())),
  diners: z.optional(z.int()),
  subsidyFen: z.int(),
});
export const settlement = named(
  z.object({
    siteId: z.string(),
    siteName: z.string(),
    month: z.string(),
    meals: z.int(),
    subsidisedMeals: z.int(),
    mealSubsidyFen: z.int(),
    siteSubsidyFen: z.int(),
    totalFen: described(z.int(), 'mealSubsidyFen + siteSubsidyFen: the sum of the lines\' subsidyFen'),
    byCategory: described(z.array(z.object({ category: z.string(), meals: z.int(), subsidyFen: z.int() })), 'an elder in several categories counts in each'),
    lines: z.array(line),
  }),
  'Settlement',
);
export const settlementQuery = z.extend(monthQuery, { siteId: id('meal site') });

export const anomalies = named(
  z.object({ month: z.string(), township: z.optional(z.string()), items: z.array(z.looseObject({ kind: z.string() })) }),
  'MealAnomalies',
);
export const anomaliesQuery = z.extend(monthQuery, { township: z.optional(townshipCode) });

export const reportJob = named(
  z.object({
    reportId: z.string(),
    kind: z.literal('meals.anomalies'),
    status: described(z.enum(['running', 'done', 'failed']), '`running`: poll again (the answer is 202); `done`: `result` holds the report; `failed`: `error` says why (ask for the report again).'),
    month: z.string(),
    township: z.optional(z.string()),
    requestedAt: instant,
    finishedAt: z.optional(instant),
    result: z.optional(anomalies),
    error: z.optional(z.object({ code: z.string(), message: z.string() })),
  }),
  'ReportJob',
);
export const reportJobParams = z.object({ reportId: id('report') });

export const alert = named(
  z.object({
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
    closed: z.optional(z.object({ at: instant, by: z.string(), note: z.string() })),
  }),
  'WelfareAlert',
);
export const alertsQuery = z.extend(pageQuery, { status: z._default(z.enum(['open', 'closed', 'all']), 'open'), township: z.optional(townshipCode) });
export const alertParams = z.object({ alertId: id('alert') });
export const closeAlertBody = z.object({ note: described(text(2, 1000, { multiline: true }), 'what the visit found (探访关爱)') });
