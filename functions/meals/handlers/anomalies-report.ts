import { mealReportRoutes as routes } from '#shared/routes/meal-reports.js';
import { handle } from '../../http/handle.js';
import { anomaliesNowOrLater } from '../report-jobs.js';

/** `Prefer: respond-async` (RFC 7240) asks for a job even when the report would be quick. */
export const anomaliesReport = handle(routes.anomaliesReport, async ({ query }, { principal, headers, now }) =>
  anomaliesNowOrLater(principal, query.month, query.township, { preferAsync: /\brespond-async\b/i.test(headers.prefer ?? ''), now }));
