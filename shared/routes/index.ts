import { routeKey, type RouteSpec } from '../http/route.js';
import { bedApplicationRoutes } from './bed-applications.js';
import { offerRoutes } from './offers.js';
import { bedRoutes } from './beds.js';
import { mealReportRoutes } from './meal-reports.js';
import { mealRoutes } from './meals.js';
import { platformRoutes } from './platform.js';
import { registryRoutes } from './registry.js';
import { systemRoutes } from './system.js';

/**
 * The route table. The CDK HttpApi, the local server and the OpenAPI document are all built
 * from this one object; adding a route is one entry here plus its handler.
 */
export const routes = { ...systemRoutes, ...registryRoutes, ...mealRoutes, ...mealReportRoutes, ...bedRoutes, ...bedApplicationRoutes, ...offerRoutes, ...platformRoutes } as const;
export type RouteName = keyof typeof routes;

export const routeList: readonly (RouteSpec & { name: string })[] = Object.entries(routes).map(([name, r]) => ({
  name,
  ...(r as RouteSpec),
}));

const keys = new Set<string>();
for (const r of routeList) {
  const k = routeKey(r);
  if (keys.has(k)) throw new Error(`route table has ${k} twice`);
  keys.add(k);
}
