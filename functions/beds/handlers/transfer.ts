import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { transfer as move } from '../residents.js';

export const transfer = handle(routes.transfer, async ({ params, body }, { principal, now }) => ({ status: 200, body: await move(principal, params.institutionId, body, now) }));
