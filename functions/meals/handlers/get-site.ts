import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { readableSite } from '../sites.js';

export const getSite = handle(routes.getSite, async ({ params }, { principal }) => ({ status: 200, body: await readableSite(principal, params.siteId) }));
