import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { recordServings as record } from '../servings.js';

export const recordServings = handle(routes.recordServings, async ({ params, body }, { principal, now }) => ({ status: 200, body: { results: await record(principal, params.siteId, body.records, now) } }));
