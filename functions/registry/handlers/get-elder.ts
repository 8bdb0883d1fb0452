import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { readElder } from '../elders.js';

export const getElder = handle(routes.getElder, async ({ params }, { principal, now }) => ({
  status: 200,
  body: await readElder(principal, params.elderId, now),
}));
