import { defineConfig } from 'vitest/config';
import { routeTablePlugin } from './web/route-table.js';

/**
 * Two projects. `unit` needs nothing but Node (no Java, no DynamoDB Local, no browser:
 * `npm run test:unit`); it includes the web pages' unit tests, with happy-dom. `integration`
 * needs the global setup's DynamoDB Local and local API. `npm test` runs both.
 */
export default defineConfig({
  // The web pages' TSX (tests/web) compiles as Vite compiles it for the browser.
  plugins: [routeTablePlugin()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only queue on the one DynamoDB Local.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/web/**/*.test.{ts,tsx}'] } },
      // One global setup (one DynamoDB Local, one local API with the built pages) for the HTTP
      // tests, the browser tests in Chromium, and the synth test (it runs the bundled health
      // function against that DynamoDB Local).
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts', 'tests/browser/**/*.test.ts', 'tests/infra/**/*.test.ts'], globalSetup: ['tests/support/global-setup.ts'] } },
    ],
  },
});
