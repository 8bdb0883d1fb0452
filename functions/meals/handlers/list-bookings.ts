import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { listElderBookings } from '../bookings.js';

export const listBookings = handle(routes.listBookings, async ({ query }, { principal, page }) => ({ status: 200, body: page.reply(await listElderBookings(principal, query.elderId, page)) }));
