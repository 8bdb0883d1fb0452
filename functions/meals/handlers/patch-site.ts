import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { patchSite as patch } from '../sites.js';

export const patchSite = handle(routes.patchSite, async ({ params, body }, { principal, now }) => ({ status: 200, body: await patch(principal, params.siteId, body, now) }));
