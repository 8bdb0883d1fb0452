import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { patchInstitution as patch } from '../institutions.js';

export const patchInstitution = handle(routes.patchInstitution, async ({ params, body }, { principal, now }) => ({ status: 200, body: await patch(principal, params.institutionId, body, now) }));
