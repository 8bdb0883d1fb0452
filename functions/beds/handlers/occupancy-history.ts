import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { readHistory } from '../occupancy.js';

export const occupancyHistory = handle(routes.occupancyHistory, async ({ query }, { principal }) => ({ status: 200, body: await readHistory(principal, query) }));
