import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { kitchen } from '../bookings.js';

export const kitchenList = handle(routes.kitchenList, async ({ params, query }, { principal }) => ({ status: 200, body: await kitchen(principal, params.siteId, query.date) }));
