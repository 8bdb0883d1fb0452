import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { unlinkFamily as unlink } from '../elders.js';

export const unlinkFamily = handle(routes.unlinkFamily, async ({ params }, { principal, now }) => ({ status: 200, body: await unlink(principal, params.elderId, params.familySub, now) }));
