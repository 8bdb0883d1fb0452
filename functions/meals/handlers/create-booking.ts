import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { createBooking as create } from '../bookings.js';

export const createBooking = handle(routes.createBooking, async ({ body }, { principal, now }) => ({ status: 201, body: await create(principal, body, now) }));
