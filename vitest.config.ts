import { defineConfig } from 'vitest/config';

// Unit specs run in parallel; integration and e2e specs share real servers
// (started once by the global setup) and run one file at a time so they do not
// fight over the two cores and the shared databases.
export default defineConfig({
  test: {
    globalSetup: ['./tests/support/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['**/*.unit.spec.ts'], exclude: ['node_modules/**'] } },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['**/*.int.spec.ts', '**/*.e2e.spec.ts'],
          exclude: ['node_modules/**'],
          fileParallelism: false,
        },
      },
    ],
  },
});
