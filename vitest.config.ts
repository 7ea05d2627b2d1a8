import { defineConfig } from 'vitest/config';

// The six folders the coverage gate holds to account: their code, not their
// specs, not the files that exist only to serve specs.
const covered = ['command', 'query', 'projections', 'eventstore', 'mappings', 'ops'] as const;
const perFolder = Object.fromEntries(covered.map((folder) => [`${folder}/**`, { lines: 80, branches: 80 }]));

// Unit specs run in parallel; integration and e2e specs share real servers
// (started once by the global setup) and run one file at a time so they do not
// fight over the two cores and the shared databases.
export default defineConfig({
  test: {
    globalSetup: ['./tests/support/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    coverage: {
      // `npm test` runs `vitest run --coverage`: the whole suite, held to the
      // thresholds below. A partial run (test:unit, one file) would fall short
      // of them, so it measures only when asked.
      provider: 'v8',
      include: covered.map((folder) => `${folder}/**/*.ts`),
      exclude: [
        '**/node_modules/**',
        '**/*.spec.ts',
        // The EventStoreDB adapter needs an EventStoreDB server, which the test
        // run does not start; its spec runs only where one is given.
        'eventstore/eventstoredb/eventStoreDbEventStore.ts',
        // Browser code: bundled for and run in Chromium, where the v8 provider
        // (which reads the Node processes) cannot see it.
        'query/web/client/**',
      ],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      // A run with a failing test still says where coverage stands.
      reportOnFailure: true,
      thresholds: { lines: 85, branches: 85, ...perFolder },
    },
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
