import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` needs nothing but Node (no Java, no DynamoDB Local: `npm run test:unit`),
 * `integration` runs against one DynamoDB Local and the local API started by the global setup,
 * `infra` synthesizes the CDK stack (and runs a bundle against DynamoDB Local). `npm test` runs all three.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only queue on the one DynamoDB Local.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], globalSetup: ['tests/support/global-setup.ts'] } },
      // The synth test runs the bundled health function against the same DynamoDB Local.
      { extends: true, test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], globalSetup: ['tests/support/global-setup.ts'] } },
    ],
  },
});
