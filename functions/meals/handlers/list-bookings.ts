import { routes } from '#shared/routes/index.js';
import { handle } from '../../http/handle.js';
import { listElderBookings } from '../bookings.js';

export const listBookings = handle(routes.listBookings, async ({ query }, { principal }) => ({ status: 200, body: { items: await listElderBookings(principal, query.elderId) } }));
