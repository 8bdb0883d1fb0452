import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { readOccupancy } from '../occupancy.js';

export const occupancy = handle(routes.occupancy, async ({ query }, { principal }) => ({ status: 200, body: await readOccupancy(principal, query) }));
