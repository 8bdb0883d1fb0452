import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { closeAlert as close } from '../no-shows.js';

export const closeAlert = handle(routes.closeAlert, async ({ params, body }, { principal, now }) => ({ status: 200, body: await close(principal, params.alertId, body.note, now) }));
