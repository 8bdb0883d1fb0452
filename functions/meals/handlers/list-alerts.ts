import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { listAlerts as list } from '../no-shows.js';

export const listAlerts = handle(routes.listAlerts, async ({ query }, { principal, page }) => ({ status: 200, body: page.reply(await list(principal, query.status, query.township, page)) }));
