import { registryRoutes as routes } from '#shared/routes/registry.js';
import { handle } from '../../http/handle.js';
import { putTownship as put } from '../elders.js';

export const putTownship = handle(routes.putTownship, async ({ params, body }, { principal, now }) => ({
  status: 200,
  body: await put(principal, params.township, body, now),
}));
