import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { putPolicy as put } from '../sites.js';

export const putPolicy = handle(routes.putPolicy, async ({ body }, { principal, now }) => ({ status: 200, body: await put(principal, body, now) }));
