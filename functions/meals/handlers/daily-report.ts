import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { daily } from '../reports.js';

export const dailyReport = handle(routes.dailyReport, async ({ query }, { principal }) => ({ status: 200, body: await daily(principal, query.date, query.township) }));
