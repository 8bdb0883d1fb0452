import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { page } from '#shared/pagination.js';
import { listSites as list } from '../sites.js';

export const listSites = handle(routes.listSites, async ({ query }, { principal }) => ({ status: 200, body: page(await list(principal, query.township), (s) => `${s.township}#${s.id}`, query) }));
