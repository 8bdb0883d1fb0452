import { mealReportRoutes as routes } from '#shared/routes/meal-reports.js';
import { handle } from '../../http/handle.js';
import { daily } from '../reports.js';

export const dailyReport = handle(routes.dailyReport, async ({ query }, { principal }) => ({ status: 200, body: await daily(principal, query.date, query.township) }));
