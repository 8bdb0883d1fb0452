import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { page } from '#shared/pagination.js';
import { listServings as list } from '../servings.js';

export const listServings = handle(routes.listServings, async ({ params, query }, { principal }) => ({ status: 200, body: page(await list(principal, params.siteId, query.date), (s) => `${s.servedAt}#${s.id}`, query) }));
