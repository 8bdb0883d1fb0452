import type { RouteDoc, RouteDocs, RouteSpec } from '../http/route.js';
import { bedApplicationRouteDocs } from './bed-applications.js';
import { bedRouteDocs } from './beds.js';
import { routeList, type RouteName, type routes } from './index.js';
import { mealReportRouteDocs } from './meal-reports.js';
import { mealRouteDocs } from './meals.js';
import { offerRouteDocs } from './offers.js';
import { platformRouteDocs } from './platform.js';
import { registryRouteDocs } from './registry.js';
import { systemRouteDocs } from './system.js';

/**
 * Every route's prose (summary, description), by route name. Only the OpenAPI document reads it,
 * so only what builds the document imports this module (the system function, tests, scripts):
 * the other functions bundle their route specs without a word of it.
 */
export const routeDocs = {
  ...systemRouteDocs, ...registryRouteDocs, ...mealRouteDocs, ...mealReportRouteDocs, ...bedRouteDocs, ...bedApplicationRouteDocs, ...offerRouteDocs, ...platformRouteDocs,
} satisfies RouteDocs<typeof routes>;

/** The route table with each route's prose: what `buildOpenApi` takes. */
export const documentedRouteList: readonly (RouteSpec & RouteDoc & { name: string })[] = routeList.map((r) => ({ ...r, ...routeDocs[r.name as RouteName] }));
