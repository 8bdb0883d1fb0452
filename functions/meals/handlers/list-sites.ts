import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { listSites as list } from '../sites.js';

export const listSites = handle(routes.listSites, async ({ query }, { principal, page }) => ({ status: 200, body: page.reply(await list(principal, query.township, page)) }));
