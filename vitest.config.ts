import { defineConfig } from 'vitest/config';
import { routeTablePlugin } from './web/route-table.js';

export default defineConfig({
  // The web pages' TSX (tests/web) compiles as Vite compiles it for the browser.
  plugins: [routeTablePlugin()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only queue on the one DynamoDB Local.
    maxWorkers: 2,
  },
});
