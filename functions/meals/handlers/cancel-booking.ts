import { mealRoutes as routes } from '#shared/routes/meals.js';
import { handle } from '../../http/handle.js';
import { cancelBooking as cancel } from '../bookings.js';

export const cancelBooking = handle(routes.cancelBooking, async ({ params }, { principal, now }) => ({ status: 200, body: await cancel(principal, params.bookingId, now) }));
