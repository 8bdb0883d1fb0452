import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { patchElder as patch } from '../elders.js';

export const patchElder = handle(routes.patchElder, async ({ params, body }, { principal, now }) => ({ status: 200, body: await patch(principal, params.elderId, body, now) }));
