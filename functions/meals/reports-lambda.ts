import { mealReportRoutes } from '#shared/routes/meal-reports.js';
import { httpLambda } from '../http/lambda.js';
import { anomaliesReport } from './handlers/anomalies-report.js';
import { dailyReport } from './handlers/daily-report.js';
import { getReportJob } from './handlers/get-report-job.js';
import { settlementReport } from './handlers/settlement-report.js';

/**
 * Entry point of the meal reports function: staff reads over many servings (the daily report,
 * a site's monthly settlement, anomalies, report jobs). Apart from the meals function:
 * read-only tables (but for report job records), a longer timeout, and none of the request
 * path's idempotency or ID-number code.
 */
export const handler = httpLambda('mealReports', mealReportRoutes, { dailyReport, settlementReport, anomaliesReport, getReportJob });
