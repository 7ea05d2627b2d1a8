// Schemathesis (Python) for API contract fuzzing: a virtual environment with
// one pinned version under node_modules/.cache, so a fresh clone builds it on
// first use, it is never committed, and later runs reuse it.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const schemathesisVersion = '4.32.5';

const root = join(import.meta.dirname, '..', '..');
const venv = join(root, 'node_modules', '.cache', 'schemathesis-venv');
const st = join(venv, 'bin', 'st');

function installedVersion(): string | undefined {
  if (!existsSync(st)) return undefined;
  try {
    return /version\s+(\S+)/.exec(execFileSync(st, ['--version'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
}

/** The `st` executable of the pinned version, building the virtual environment when it is missing or holds another version. */
export function ensureSchemathesis(): string {
  if (installedVersion() === schemathesisVersion) return st;
  mkdirSync(join(venv, '..'), { recursive: true });
  execFileSync('python3', ['-m', 'venv', '--clear', venv], { stdio: 'pipe' });
  execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${schemathesisVersion}`], { stdio: 'pipe', timeout: 300_000 });
  const version = installedVersion();
  if (version !== schemathesisVersion) throw new Error(`schemathesis ${schemathesisVersion} was installed into ${venv} but it reports ${String(version)}`);
  return st;
}

export interface SchemathesisOptions {
  /** The OpenAPI document, e.g. `http://127.0.0.1:3000/openapi.json`. */
  schemaUrl: string;
  headers?: Record<string, string>;
  checks: readonly string[];
  maxExamples: number;
  seed: number;
  workers: number;
  /**
   * Upper bound on the whole run: the process is killed past it. Not
   * schemathesis' --max-time, which keeps fuzzing until that time is spent
   * (so every run would take all of it and see different inputs).
   */
  timeoutMs: number;
  /** Contents of a schemathesis.toml (per-operation settings), if any. */
  config?: string;
}

export interface SchemathesisFailure {
  /** `METHOD /path`, or `Stateful tests`. */
  operation: string;
  /** The check's code and title, e.g. `ST101 Server error`. */
  check: string;
  /** The HTTP status the API answered, when it answered. */
  status: number | undefined;
  /** curl commands that reproduce the request (several for a stateful sequence), one a line. */
  curl: string;
  /** The whole text schemathesis gave for this failure. */
  detail: string;
}

export interface SchemathesisResult {
  exitCode: number;
  operations: { selected: number; tested: number; errored: number; skipped: number };
  testCases: { generated: number; withFailures: number };
  failures: SchemathesisFailure[];
  /** Errors of the run itself (a crashed generator, an unreachable API), one text each. */
  errors: string[];
  /** The console output, for when the reports do not say enough. */
  output: string;
}

const xmlEntities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };
const unescapeXml = (s: string): string => s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (m) => {
  if (m.startsWith('&#x')) return String.fromCodePoint(parseInt(m.slice(3, -1), 16));
  if (m.startsWith('&#')) return String.fromCodePoint(Number(m.slice(2, -1)));
  return xmlEntities[m] ?? m;
});

/**
 * The failures in a schemathesis JUnit report: one `<failure>` per check that
 * failed on an operation, its text holding one or more numbered test cases,
 * each naming the check(s) (`- ST103 Undocumented status code`), the response
 * (`[404] Not Found:`) and a `curl` reproduction.
 */
export function parseJunitFailures(xml: string): { failures: SchemathesisFailure[]; errors: string[] } {
  const failures: SchemathesisFailure[] = [];
  const errors: string[] = [];
  for (const tc of xml.matchAll(/<testcase\s+name="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const operation = unescapeXml(tc[1] ?? '');
    for (const el of (tc[2] ?? '').matchAll(/<(failure|error)\b[^>]*>([\s\S]*?)<\/\1>/g)) {
      const text = unescapeXml(el[2] ?? '');
      if (el[1] === 'error') {
        errors.push(`${operation}: ${text.split('\n').slice(0, 6).join('\n')}`);
        continue;
      }
      for (const testCase of text.split(/^(?=\d+\. Test Case ID:)/m).filter((s) => s.trim())) {
        const status = /^\[(\d{3})\]/m.exec(testCase)?.[1];
        const curl = [...testCase.matchAll(/^\s*(curl .*)$/gm)].map((m) => m[1]).join('\n');
        for (const check of testCase.matchAll(/^- (ST\d+ .+)$/gm)) {
          failures.push({ operation, check: (check[1] ?? '').trim(), status: status ? Number(status) : undefined, curl, detail: testCase.trim() });
        }
      }
    }
  }
  return { failures, errors };
}

/** Runs `st run` against a schema URL and reads back its JSON and JUnit reports. */
export async function runSchemathesis(options: SchemathesisOptions): Promise<SchemathesisResult> {
  const bin = ensureSchemathesis();
  const dir = mkdtempSync(join(tmpdir(), 'schemathesis-'));
  try {
    const junit = join(dir, 'junit.xml');
    const json = join(dir, 'report.json');
    const globalArgs: string[] = [];
    if (options.config !== undefined) {
      const configPath = join(dir, 'schemathesis.toml');
      writeFileSync(configPath, options.config);
      globalArgs.push('--config-file', configPath);
    }
    const args = [
      ...globalArgs,
      'run',
      options.schemaUrl,
      '--checks',
      options.checks.join(','),
      '--max-examples',
      String(options.maxExamples),
      '--seed',
      String(options.seed),
      '--workers',
      String(options.workers),
      // Deterministic: no examples carried over from an earlier run.
      '--generation-database',
      'none',
      '--report',
      'junit,json',
      '--report-dir',
      dir,
      '--report-junit-path',
      junit,
      '--report-json-path',
      json,
      // The tokens are throwaway ones for a throwaway server: a reproduction is only useful with them.
      '--output-sanitize',
      'false',
      '--no-color',
      ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
    ];
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(bin, args, { cwd: dir, timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } }, (err, stdout, stderr) => {
        const exit = err && typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : err ? -1 : 0;
        resolve({ code: exit, output: `${stdout}${stderr}` });
      });
    });
    if (code === -1) throw new Error(`schemathesis did not finish in ${String(options.timeoutMs)} ms:\n${output}`);
    if (!existsSync(json)) throw new Error(`schemathesis wrote no report (exit ${String(code)}):\n${output}\nfiles: ${readdirSync(dir).join(', ')}`);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      operations: { selected: number; tested: number; errored: number; skipped: number };
      test_cases: { generated: number; with_failures: number };
      errors?: { title: string; count: number }[];
    };
    const parsed = existsSync(junit) ? parseJunitFailures(readFileSync(junit, 'utf8')) : { failures: [], errors: [] };
    const errors = parsed.errors.length > 0 ? parsed.errors : (report.errors ?? []).map((e) => `${e.title} (x${String(e.count)})`);
    return {
      exitCode: code,
      operations: report.operations,
      testCases: { generated: report.test_cases.generated, withFailures: report.test_cases.with_failures },
      failures: parsed.failures,
      errors,
      output,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
