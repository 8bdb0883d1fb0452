import * as z from 'zod/mini';
import { defineRoutes, type RouteDocs } from '../http/route.js';
import { isoDate, townshipCode } from '../schemas/common.js';
import { anomalies, anomaliesQuery, dailyReport, reportJob, reportJobParams, settlement, settlementQuery } from '../schemas/reports.js';

/**
 * The meal reports function's routes: staff reads over many servings. In their own module so
 * the meals function's bundle (request path: bookings, servings) carries neither these specs
 * nor the report schemas.
 */
export const mealReportRoutes = defineRoutes({
  dailyReport: {
    method: 'GET', path: '/v1/reports/meals/daily', fn: 'mealReports', access: ['staff'], tag: 'Reports',
    query: z.object({ date: isoDate, township: z.optional(townshipCode) }), responses: { 200: dailyReport },
  },
  settlementReport: {
    method: 'GET', path: '/v1/reports/meals/settlement', fn: 'mealReports', access: ['staff'], tag: 'Reports',
    query: settlementQuery, responses: { 200: settlement }, alsoProduces: 'text/csv', errors: ['NOT_FOUND'],
  },
  anomaliesReport: {
    method: 'GET', path: '/v1/reports/meals/anomalies', fn: 'mealReports', access: ['staff'], tag: 'Reports',
    query: anomaliesQuery, responses: { 200: anomalies, 202: reportJob },
  },
  getReportJob: {
    method: 'GET', path: '/v1/reports/jobs/{reportId}', fn: 'mealReports', access: ['staff'], tag: 'Reports',
    params: reportJobParams, responses: { 200: reportJob, 202: reportJob }, errors: ['NOT_FOUND'],
  },
});

/**
 * The routes' prose for the OpenAPI document (shared/routes/docs.ts), apart from the specs: the
 * functions bundle the specs, and esbuild leaves this object out of them as nothing there reads it.
 */
export const mealReportRouteDocs = {
  dailyReport: {
    summary: 'Per site for a date: servings by slot and mode, subsidised meals, subsidy total, distinct elders.',
  },
  settlementReport: {
    summary: 'A site\'s monthly settlement: meals, subsidy, site subsidy, by category, and one line per subsidised meal.',
    description: 'Send `Accept: text/csv` for the CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read Chinese; text cells quoted, and a text cell that starts like a formula (`=`, `+`, `-`, `@`, their full-width forms, tab or CR) gets a leading `\'` so it shows as text (CWE-1236); money columns are unquoted integers). Totals are the sums of the lines to the fen; voided servings count for nothing.',
  },
  anomaliesReport: {
    summary: 'Servings a subsidy auditor would question: two sites within 30 minutes, over capacity, deceased elders, unusual manual verification, one device record id on two dates.',
    description: 'Answers 200 with the report when it can be computed within the request (up to 100,000 servings read and 10 seconds). A bigger month, or a request with `Prefer: respond-async`, answers 202 with a report job and a `Location` header: poll `GET /v1/reports/jobs/{reportId}` (202 while running, then 200 with the report in `result`). Jobs are kept a week.',
  },
  getReportJob: {
    summary: 'A report computed in the background: 202 while it runs, 200 when done (the report in `result`) or failed (`error`).',
    description: 'Visible to the staff whose area the report covers. Another county\'s job answers 404.',
  },
} satisfies RouteDocs<typeof mealReportRoutes>;
