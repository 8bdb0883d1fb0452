import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { siteAvailability } from '../sites.js';

export const availability = handle(routes.availability, async ({ params, query }, { principal, now }) => ({ status: 200, body: await siteAvailability(principal, params.siteId, query.date, now) }));
