import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { linkFamily as link } from '../elders.js';

export const linkFamily = handle(routes.linkFamily, async ({ params, body }, { principal, now }) => ({
  status: 201,
  body: await link(principal, params.elderId, body, now),
}));
