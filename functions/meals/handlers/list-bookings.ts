import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { invert, page } from '#shared/pagination.js';
import { listElderBookings } from '../bookings.js';

export const listBookings = handle(routes.listBookings, async ({ query }, { principal }) => ({ status: 200, body: page(await listElderBookings(principal, query.elderId), (b) => `${invert(b.date)}#${b.slot}#${b.id}`, query) }));
