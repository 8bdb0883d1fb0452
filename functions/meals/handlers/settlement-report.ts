import { mealReportRoutes as routes } from '#shared/routes/meal-reports.js';
import { handle } from '../../http/handle.js';
import { monthlySettlement } from '../reports.js';

export const settlementReport = handle(routes.settlementReport, async ({ query }, { principal, headers }) => {
  const s = await monthlySettlement(principal, query.siteId, query.month);
  if (/\btext\/csv\b/.test(headers.accept ?? '')) {
    const filename = `settlement-${query.siteId}-${query.month}.csv`;
    // The CSV is the same data in the form the bureau's spreadsheets take.
    return { status: 200, body: s.csv() as never, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` } };
  }
  return { status: 200, body: s.json };
});
