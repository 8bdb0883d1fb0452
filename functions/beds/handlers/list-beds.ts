import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { page } from '#shared/pagination.js';
import { listBeds as list } from '../institutions.js';

export const listBeds = handle(routes.listBeds, async ({ params, query }, { principal }) => ({ status: 200, body: page(await list(principal, params.institutionId, query.status), (b) => b.label, query) }));
