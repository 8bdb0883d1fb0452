import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { createSite as create } from '../sites.js';

export const createSite = handle(routes.createSite, async ({ body }, { principal, now }) => ({ status: 201, body: await create(principal, body, now) }));
