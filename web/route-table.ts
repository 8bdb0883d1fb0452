import type { Plugin } from 'vite';
import { bedApplicationRoutes } from '../shared/routes/bed-applications.js';
import { bedRoutes } from '../shared/routes/beds.js';
import { offerRoutes } from '../shared/routes/offers.js';
import { mealReportRoutes } from '../shared/routes/meal-reports.js';
import { mealRoutes } from '../shared/routes/meals.js';
import { platformRoutes } from '../shared/routes/platform.js';
import { registryRoutes } from '../shared/routes/registry.js';

/**
 * `virtual:route-table`: each route's method and path template, taken from the route table at
 * build time. The pages build their URLs from it without shipping the route table's zod schemas
 * (about 60% of the script) to every page; types still come from the schemas themselves.
 */
// Staff and institution pages: beds, occupancy, dead letters (issue 14); the waiting list and its offers (issue 16).
export const webRoutes = { ...registryRoutes, ...mealRoutes, ...mealReportRoutes, ...bedRoutes, ...bedApplicationRoutes, ...offerRoutes, ...platformRoutes };

export function routeTablePlugin(): Plugin {
  const id = 'virtual:route-table';
  return {
    name: 'route-table',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      const table = Object.fromEntries(Object.entries(webRoutes).map(([name, r]) => [name, { method: r.method, path: r.path }]));
      return `export default ${JSON.stringify(table)};`;
    },
  };
}
