import { routes } from '#shared/routes/index.js';
import { handle } from '../../http/handle.js';
import { createBooking as create } from '../bookings.js';

export const createBooking = handle(routes.createBooking, async ({ body }, { principal, now }) => ({ status: 201, body: await create(principal, body, now) }));
