// API contract fuzzing: schemathesis generates requests from /openapi.json
// (valid and invalid ones) for every operation, once per role, and checks the
// answers against the same document.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../ops/http/tokens.ts';
import type { TokenRole } from '../../eventstore/events/index.ts';
import { ensureSchemathesis, runSchemathesis } from '../support/schemathesis.ts';
import type { SchemathesisResult } from '../support/schemathesis.ts';
import { spawnServer, waitForExit } from '../support/serverProcess.ts';
import type { ServerProcess } from '../support/serverProcess.ts';

const secret = 'api-fuzzing-secret-api-fuzzing-secret-01';
const checks = ['not_a_server_error', 'status_code_conformance', 'response_schema_conformance', 'negative_data_rejection', 'ignored_auth'] as const;
// Sized for two cores shared with other suites: about a minute per role.
// One worker: with more, the coverage phase trips over Hypothesis' lambda-source cache
// ("AST constructor recursion depth mismatch") and reports a runtime error.
const perRole = { maxExamples: 10, workers: 1, seed: 20_261_203, timeoutMs: 100_000 };

// Narrow exceptions, each where the API is right and the generator is not:
// - minPosition: a read asked to wait for a position the log has not reached
//   answers 503 stale_read after a bounded wait (read-your-writes, as
//   designed); generated positions are far past the head of a 30-job log, so
//   every such read would look like a server error. Pinned to 0 (no wait).
// - 414 and 431 are how the HTTP layer refuses a path parameter past its
//   length limit and a request line past the header size limit: rejections,
//   like the 4xx schemathesis expects for invalid input (its list lacks them).
const config = `
[parameters]
"query.minPosition" = 0

[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 414, 415, 422, 428, 429, 431, "5XX"]
`;

let dir = '';
let server: ServerProcess | undefined;

beforeAll(async () => {
  ensureSchemathesis();
  dir = mkdtempSync(join(tmpdir(), 'jobs-fuzz-'));
  // A small demo dataset: the examples in the document name its ids (j000001, b00001, w00001).
  server = await spawnServer({ DATA_DIR: dir, SEED_JOBS: '30', AUTH_SECRET: secret });
}, 400_000);

afterAll(async () => {
  if (server) {
    server.child.kill('SIGTERM');
    await waitForExit(server.child);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function fuzzAs(principal: { role: TokenRole; sub: string } | undefined): Promise<SchemathesisResult> {
  if (!server) throw new Error('server did not start');
  const headers = principal ? { Authorization: `Bearer ${await createTokenService(secret).sign(principal)}` } : undefined;
  return runSchemathesis({ schemaUrl: `${server.url}/openapi.json`, checks, config, ...perRole, ...(headers ? { headers } : {}) });
}

function summary(result: SchemathesisResult): string {
  const lines = result.failures.map((f) => `- ${f.operation} | ${f.check} | status ${String(f.status ?? '-')}\n    ${f.curl}`);
  const errors = result.errors.map((e) => `- error: ${e}`);
  return [
    `${String(result.operations.tested)} operations, ${String(result.testCases.generated)} test cases, ${String(result.failures.length)} failures, ${String(result.errors.length)} errors`,
    ...lines,
    ...errors,
  ].join('\n');
}

function expectClean(result: SchemathesisResult): void {
  console.log(summary(result).split('\n')[0]);
  expect(result.operations.tested, result.output).toBeGreaterThan(0);
  expect({ failures: result.failures.length, errors: result.errors.length }, summary(result)).toEqual({ failures: 0, errors: 0 });
}

describe('the API answers generated requests as /openapi.json documents', () => {
  it('for an anonymous caller: no server errors, only documented statuses and bodies, invalid input rejected, auth enforced', async () => {
    expectClean(await fuzzAs(undefined));
  }, 120_000);

  it('for a worker token: no server errors, only documented statuses and bodies, invalid input rejected, auth enforced', async () => {
    expectClean(await fuzzAs({ role: 'worker', sub: 'w00001' }));
  }, 120_000);

  it('for a business token: no server errors, only documented statuses and bodies, invalid input rejected, auth enforced', async () => {
    expectClean(await fuzzAs({ role: 'business', sub: 'b00001' }));
  }, 120_000);

  it('for an operator token: no server errors, only documented statuses and bodies, invalid input rejected, auth enforced', async () => {
    expectClean(await fuzzAs({ role: 'operator', sub: 'ops' }));
  }, 120_000);
});
