import { routes } from '#shared/routes/index.js';
import { handle } from '../../http/handle.js';
import { readHistory } from '../occupancy.js';

export const occupancyHistory = handle(routes.occupancyHistory, async ({ query }, { principal }) => ({ status: 200, body: await readHistory(principal, query) }));
