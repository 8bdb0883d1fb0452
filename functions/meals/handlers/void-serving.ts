import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { voidServing as voidIt } from '../servings.js';

export const voidServing = handle(routes.voidServing, async ({ params, body }, { principal, now }) => ({ status: 200, body: await voidIt(principal, params.servingId, body.reason, now) }));
