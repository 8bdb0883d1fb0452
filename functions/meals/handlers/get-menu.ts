import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { getMenu as get } from '../sites.js';

export const getMenu = handle(routes.getMenu, async ({ params }, { principal }) => ({ status: 200, body: await get(principal, params.siteId, params.date) }));
