import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { listMyElders } from '../elders.js';

export const myElders = handle(routes.myElders, async (_input, { principal, now }) => ({
  status: 200,
  body: { items: await listMyElders(principal, now) },
}));
