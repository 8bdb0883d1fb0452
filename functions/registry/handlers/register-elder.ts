import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { registerElder as register } from '../elders.js';

export const registerElder = handle(routes.registerElder, async ({ body }, { principal, now }) => ({
  status: 201,
  body: await register(principal, body, now),
}));
