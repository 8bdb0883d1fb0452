import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { invert, page } from '#shared/pagination.js';
import { listAlerts as list } from '../no-shows.js';

export const listAlerts = handle(routes.listAlerts, async ({ query }, { principal }) => ({ status: 200, body: page(await list(principal, query.status, query.township), (a) => `${invert(a.raisedAt)}#${a.id}`, query) }));
