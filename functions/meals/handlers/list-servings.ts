import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { listServings as list } from '../servings.js';

export const listServings = handle(routes.listServings, async ({ params, query }, { principal, page }) => ({ status: 200, body: page.reply(await list(principal, params.siteId, query.date, page)) }));
