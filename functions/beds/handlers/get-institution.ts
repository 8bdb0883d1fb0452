import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { readInstitution } from '../institutions.js';

export const getInstitution = handle(routes.getInstitution, async ({ params }, { principal }) => ({ status: 200, body: await readInstitution(principal, params.institutionId) }));
