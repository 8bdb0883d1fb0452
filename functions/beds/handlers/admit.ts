import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { admit as admitElder } from '../residents.js';

export const admit = handle(routes.admit, async ({ params, body }, { principal, now }) => ({ status: 201, body: await admitElder(principal, params.institutionId, body, now) }));
