import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { monthlyAnomalies } from '../reports.js';

export const anomaliesReport = handle(routes.anomaliesReport, async ({ query }, { principal }) => ({ status: 200, body: await monthlyAnomalies(principal, query.month, query.township) }));
