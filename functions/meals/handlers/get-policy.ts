import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { getPolicy as get } from '../sites.js';

export const getPolicy = handle(routes.getPolicy, async ({ query }, { principal, now }) => ({ status: 200, body: await get(principal, query.date, now) }));
