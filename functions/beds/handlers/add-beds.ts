import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { addBeds as add } from '../institutions.js';

export const addBeds = handle(routes.addBeds, async ({ params, body }, { principal, now }) => ({ status: 201, body: { items: await add(principal, params.institutionId, body, now) } }));
