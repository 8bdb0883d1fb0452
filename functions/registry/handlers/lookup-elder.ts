import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { lookupElder as lookup } from '../elders.js';

export const lookupElder = handle(routes.lookupElder, async ({ body }, { principal, now }) => ({
  status: 200,
  body: await lookup(principal, body, now),
}));
