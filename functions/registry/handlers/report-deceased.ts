import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { cancelBookingsFrom } from '../../meals/bookings.js';
import { reportDeceased as report } from '../elders.js';

export const reportDeceased = handle(routes.reportDeceased, async ({ params, body }, { principal, now }) => ({
  status: 200,
  body: await report(principal, params.elderId, body.dateOfDeath, now, cancelBookingsFrom),
}));
