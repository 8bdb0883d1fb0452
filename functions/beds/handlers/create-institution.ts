import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { createInstitution as create } from '../institutions.js';

export const createInstitution = handle(routes.createInstitution, async ({ body }, { principal, now }) => ({ status: 201, body: await create(principal, body, now) }));
