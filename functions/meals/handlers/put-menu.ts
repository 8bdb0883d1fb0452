import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { putMenu as put } from '../sites.js';

export const putMenu = handle(routes.putMenu, async ({ params, body }, { principal, now }) => ({ status: 200, body: await put(principal, params.siteId, params.date, body, now) }));
