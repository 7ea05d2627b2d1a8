// The jobsctl commands registered from ops/cli/*Command.ts, run in this
// process on an embedded DATA_DIR (SQLite files, no server): what they print,
// the exit code they leave, and the usage errors they refuse with. The e2e
// specs run the real binary; these reach the branches the binary's runs do not
// (text output, every answer of a server behind --url, every usage error).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSqliteNotificationStore } from '../../projections/notifications/sqliteNotificationStore.ts';
import { outboxMessage } from '../../tests/contracts/notificationStoreContract.ts';
import { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { loadConfig } from '../config.ts';
import { openReadSide } from '../readSide.ts';
import { openRuntime } from '../runtime.ts';
import { seedEventStore } from '../seed/seedEventStore.ts';
import { CliError } from './cliSupport.ts';
import { registerDriftCheck } from './driftCommand.ts';
import { registerNotifications } from './notificationsCommand.ts';
import { registerRebuildCommands } from './rebuildCommands.ts';
import { registerRunJob } from './runJobCommand.ts';

const NOW = new Date('2027-03-01T12:00:00Z');

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
  error?: unknown;
}

let dir: string;
let env: Record<string, string>;

/** Runs `jobsctl <args>` in process with `env` as the environment, capturing what it writes and the exit code it leaves. */
async function jobsctl(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const program = new Command('jobsctl').exitOverride();
  registerRebuildCommands(program);
  registerRunJob(program, { driftCheck: () => () => Promise.reject(new Error('the drift target is unreachable')) });
  registerDriftCheck(program);
  registerNotifications(program);
  for (const [k, v] of Object.entries({ ...env, ...extraEnv })) vi.stubEnv(k, v);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  let error: unknown;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    error = e;
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  process.exitCode = undefined;
  return { stdout, stderr, exitCode, error };
}

const json = <T>(run: Run): T => {
  expect(run.error).toBeUndefined();
  return JSON.parse(run.stdout) as T;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jobsctl-commands-'));
  // Embedded and on its own: the URLs of the servers a test run shares are blanked (loadConfig ignores empty values).
  const noServers = { DATABASE_URL: '', REDIS_URL: '', SEARCH_URL: '', EVENT_STORE: '', EVENTSTOREDB_URL: '', SMTP_URL: '' };
  env = { ...noServers, DATA_DIR: dir, JOBS_MODE: 'embedded', SEED: 'false', AUTH_SECRET: 'jobsctl-commands-spec-secret-0123456789', LOG_LEVEL: 'silent', NOTIFICATIONS: 'off' };
  const runtime = await openRuntime(loadConfig(env));
  try {
    await seedEventStore(runtime.store, { jobs: 30, seed: 7, now: NOW });
  } finally {
    await runtime.close();
  }
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Summary {
  readModel: string;
  action: string;
  version: number;
  index: string[];
  from: number;
  to: number;
  events: number;
  documents: number;
  previous: string[];
}

describe('rebuild-index and rollback-index on the files of DATA_DIR', () => {
  it('builds each read model from the whole log, lists the versions, and rolls back to the previous one', async () => {
    const first = json<{ results: Summary[] }>(await jobsctl(['rebuild-index', '--read-model', 'jobs', '--json'])).results;
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ readModel: 'jobs', action: 'rebuild', from: 0 });
    expect(first[0]!.events).toBeGreaterThan(0);
    expect(first[0]!.documents).toBeGreaterThan(0);
    const built = first[0]!.version;

    const text = await jobsctl(['rebuild-index', '--read-model', 'jobs']);
    expect(text.error).toBeUndefined();
    expect(text.stdout).toMatch(new RegExp(`^jobs: built .* \\(v${built + 1}\\) from position 0 to \\d+: \\d+ events, \\d+ documents, [\\d.]+ s; previous .* kept\\n`));
    expect(text.stdout).toContain('a service running on this DATA_DIR switches at its next start (use --url to swap it live)');

    const listed = json<{ readModels: { readModel: string; current: number; versions: { version: number; live: boolean }[] }[] }>(
      await jobsctl(['rebuild-index', '--list', '--read-model', 'jobs', '--json']),
    ).readModels;
    expect(listed).toEqual([expect.objectContaining({ readModel: 'jobs', current: built + 1 })]);
    expect(listed[0]!.versions.filter((v) => v.live).map((v) => v.version)).toEqual([built + 1]);
    expect(listed[0]!.versions.map((v) => v.version)).toContain(built);

    const back = json<{ results: Summary[] }>(await jobsctl(['rollback-index', '--read-model', 'jobs', '--json'])).results;
    expect(back[0]).toMatchObject({ readModel: 'jobs', action: 'rollback', version: built });
    // Version 1 is read.db, which nothing made here: v2 is the oldest, and below it there is nothing to roll back to.
    expect(built).toBe(2);
    expect(existsSync(join(dir, 'read.db'))).toBe(false);
    const none = await jobsctl(['rollback-index', '--read-model', 'jobs']);
    expect(none.error).toBeInstanceOf(CliError);
    expect((none.error as Error).message).toBe('no previous version of jobs below v2 to roll back to');
  });

  it('builds both read models at once, one worker thread each, and lists them as text', async () => {
    const both = json<{ results: Summary[] }>(await jobsctl(['rebuild-index', '--json'])).results;
    expect(both.map((r) => r.readModel).sort()).toEqual(['jobs', 'lists']);
    for (const r of both) expect(r.action).toBe('rebuild');

    const list = await jobsctl(['rebuild-index', '--list']);
    expect(list.error).toBeUndefined();
    for (const r of both) expect(list.stdout).toMatch(new RegExp(`^${r.readModel}\\s+v${r.version} \\(live\\) `, 'm'));
  }, 120_000);

  it('refuses --url in server mode: there the command works on the search engine directly', async () => {
    const run = await jobsctl(['rebuild-index', '--url', 'http://127.0.0.1:1'], {
      JOBS_MODE: 'server', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', SEARCH_URL: 'http://127.0.0.1:1',
    });
    expect(run.error).toBeInstanceOf(CliError);
    expect((run.error as Error).message).toBe('--url is for embedded mode; in server mode the command works on the search engine directly');
  });
});

describe('rebuild-index --url: asking the serving process to rebuild', () => {
  let server: Server;
  let url: string;
  let answer: (req: IncomingMessage, res: ServerResponse, body: string) => void = () => undefined;
  const seen: { auth?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body });
        answer(req, res, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  const reply = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const result: Summary & { seconds: number; deadLetters: number } = {
    readModel: 'jobs', action: 'rebuild', version: 4, index: ['jobs-v4.db'], from: 0, to: 90, events: 90, documents: 30, previous: ['jobs-v3.db'], seconds: 0.4, deadLetters: 2,
  };

  it('posts the read model and action with an operator token it signs itself, and prints the results', async () => {
    answer = reply(200, { results: [result] });
    const run = await jobsctl(['rebuild-index', '--read-model', 'jobs', '--url', url]);
    expect(run.error).toBeUndefined();
    expect(seen.at(-1)!.auth).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ readModel: 'jobs', action: 'rebuild' });
    expect(run.stderr).toBe(`rebuilding jobs in the server at ${url} ...\n`);
    expect(run.stdout).toBe('jobs: built jobs-v4.db (v4) from position 0 to 90: 90 events, 30 documents, 0.4 s; previous jobs-v3.db kept; 2 events dead-lettered\n');
  });

  it('passes a given token as it is, and prints JSON with --json', async () => {
    answer = reply(200, { results: [{ ...result, action: 'rollback' }] });
    const run = await jobsctl(['rollback-index', '--url', url, '--token', 'given-token', '--json']);
    expect(seen.at(-1)!.auth).toBe('Bearer given-token');
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ readModel: 'all', action: 'rollback' });
    expect(run.stderr).toBe('');
    expect(json<{ results: unknown[] }>(run).results).toEqual([{ ...result, action: 'rollback' }]);
  });

  it.each([
    [404, {}, /has no POST \/v1\/ops\/rebuild \(not an embedded-mode server, or an older version\)$/],
    [401, {}, /refused the operator token \(401\): pass --token or use the server's DATA_DIR \/ AUTH_SECRET$/],
    [403, {}, /refused the operator token \(403\)/],
    [409, { message: 'a rebuild or rollback is already running' }, /^a rebuild or rollback is already running$/],
    [409, 'not json', /^the server refused the rebuild$/],
  ])('turns a %i answer into a usage error with a message', async (status, body, message) => {
    answer = reply(status, body);
    const run = await jobsctl(['rebuild-index', '--url', url, '--json']);
    expect(run.error).toBeInstanceOf(CliError);
    expect((run.error as Error).message).toMatch(message);
  });

  it('fails on any other answer, or one without results, with the status and message', async () => {
    answer = reply(500, { message: 'disk full' });
    const failed = await jobsctl(['rebuild-index', '--url', url, '--json']);
    expect(failed.error).not.toBeInstanceOf(CliError);
    expect((failed.error as Error).message).toBe(`${url} answered 500: disk full`);
    answer = reply(200, {});
    expect(((await jobsctl(['rebuild-index', '--url', url, '--json'])).error as Error).message).toBe(`${url} answered 200: `);
  });

  it('says which server it could not reach', async () => {
    const run = await jobsctl(['rebuild-index', '--url', 'http://127.0.0.1:1', '--json']);
    expect(run.error).toBeInstanceOf(CliError);
    expect((run.error as Error).message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:1: /);
  });
});

describe('replay', () => {
  it('writes the documents of a projection as NDJSON and prints a summary', async () => {
    const file = join(dir, 'jobs.ndjson');
    const summary = json<{ readModel: string; from: number; to: number; events: number; documents: number; out: string; deadLetters: number }>(
      await jobsctl(['replay', '--projection', 'jobs', '--out', file, '--json']),
    );
    expect(summary).toMatchObject({ readModel: 'jobs', from: 0, out: file, deadLetters: 0 });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(summary.documents);
    expect(JSON.parse(lines[0]!)).toMatchObject({ model: 'jobs' });

    const listsFile = join(dir, 'lists.ndjson');
    const text = await jobsctl(['replay', '--projection', 'lists', '--to', String(summary.to), '--out', listsFile]);
    expect(text.error).toBeUndefined();
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(new RegExp(`^replayed \\d+ events of lists up to ${summary.to}: \\d+ documents changed after 0 → ${listsFile.replaceAll('/', '\\/')} \\([\\d.]+ s\\)\\n$`));
    expect(existsSync(listsFile)).toBe(true);
  });

  it('keeps only what changed after --from', async () => {
    const all = json<{ to: number; documents: number }>(await jobsctl(['replay', '--projection', 'jobs', '--out', join(dir, 'all.ndjson'), '--json']));
    const none = json<{ documents: number }>(await jobsctl(['replay', '--projection', 'jobs', '--from', String(all.to), '--out', join(dir, 'none.ndjson'), '--json']));
    expect(all.documents).toBeGreaterThan(0);
    expect(none.documents).toBe(0);
  });

  it('refuses to overwrite a file', async () => {
    const file = join(dir, 'exists.ndjson');
    writeFileSync(file, 'keep me\n');
    const run = await jobsctl(['replay', '--projection', 'jobs', '--out', file]);
    expect(run.error).toBeInstanceOf(CliError);
    expect((run.error as Error).message).toBe(`${file} already exists`);
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  });

  it.each([
    [['--projection', 'jobs'], 'give exactly one of --out FILE or --index NAME'],
    [['--projection', 'jobs', '--out', 'x.ndjson', '--index', 'x'], 'give exactly one of --out FILE or --index NAME'],
    [['--projection', 'jobs', '--out', 'x.ndjson', '--from', '5', '--to', '4'], '--to must not be below --from'],
    [['--projection', 'jobs', '--index', 'x'], '--index needs SEARCH_URL (a search engine to write to)'],
    [['--projection', 'jobs', '--out', 'x.ndjson', '--from', '-1'], '--from must be a non-negative integer'],
  ])('refuses %j: %s', async (args, message) => {
    const run = await jobsctl(['replay', ...args]);
    expect(run.error).toBeInstanceOf(CliError);
    expect((run.error as Error).message).toBe(message);
  });
});

describe('drift-check on the files of DATA_DIR', () => {
  it('finds the jobs the read model lacks (exit 1), repairs them, and then finds no drift (exit 0)', async () => {
    // A projected read model of its own, with three jobs taken out of it.
    const fresh = mkdtempSync(join(tmpdir(), 'jobsctl-drift-'));
    try {
      const config = loadConfig({ ...env, DATA_DIR: fresh });
      const runtime = await openRuntime(config);
      await seedEventStore(runtime.store, { jobs: 12, seed: 3, now: NOW });
      const reads = await openReadSide(config, runtime.store, { runProjector: true });
      await reads.catchUp();
      await reads.close();
      await runtime.close();
      const store = EmbeddedJobStore.open({ path: join(fresh, 'read.db') });
      const gone = store.scanJobs('', 3);
      store.deleteJobs(gone.map((d) => ({ jobId: d.jobId, seenPosition: d.position })));
      store.close();

      const found = await jobsctl(['drift-check', '--full'], { DATA_DIR: fresh });
      expect(found.error).toBeUndefined();
      expect(found.exitCode).toBe(1);
      expect(found.stdout).toMatch(/^jobs read model, full check: 12 jobs compared with the log up to \d+ \(head \d+\) in [\d.]+ s\n {2}missing 3 {2}extra 0 {2}stale 0\n {2}missing: \S+, \S+, \S+\ndrift found: run with --repair to fix it\n$/);
      for (const d of gone) expect(found.stdout).toContain(d.jobId);

      const repaired = await jobsctl(['drift-check', '--repair', '--passes', '2'], { DATA_DIR: fresh });
      expect(repaired.exitCode).toBe(0);
      expect(repaired.stdout).toMatch(/^jobs read model, full check: .*\n {2}missing 3 {2}extra 0 {2}stale 0\n.*\n {2}repaired: missing 3 {2}extra 0 {2}stale 0\nall drift repaired\n$/s);

      const clean = json<{ clean: boolean; mode: string; missing: number; extra: number; stale: number }>(await jobsctl(['drift-check', '--json'], { DATA_DIR: fresh }));
      expect(clean).toMatchObject({ mode: 'incremental', clean: true, missing: 0, extra: 0, stale: 0 });
      const since = await jobsctl(['drift-check', '--since', '0'], { DATA_DIR: fresh });
      expect(since.exitCode).toBe(0);
      expect(since.stdout).toMatch(/^jobs read model, incremental check: 12 jobs compared with the log after position 0 up to \d+ .*\nno drift\n$/s);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);

  it.each([
    [['--since', '3', '--full'], '--since and --full exclude each other'],
    [['--passes', '0'], '--passes must be at least 1'],
    [['--passes', 'two'], '--passes must be a non-negative integer'],
  ])('refuses %j: %s', async (args, message) => {
    const run = await jobsctl(['drift-check', ...args]);
    expect(run.error).toBeInstanceOf(CliError);
    expect((run.error as Error).message).toBe(message);
  });
});

describe('run-job', () => {
  it('runs a job once as of --now and prints how many items it handled', async () => {
    const text = await jobsctl(['run-job', 'expire-jobs', '--now', '2027-03-02T00:00:00Z']);
    expect(text.error).toBeUndefined();
    expect(text.exitCode).toBeUndefined();
    expect(text.stdout).toMatch(/^expire-jobs \(slot 2027-03-02T00:00:00\.000Z\): \d+ items in [\d.]+ s\n$/);

    const report = json<{ job: string; slot: string; seconds: number }>(await jobsctl(['run-job', 'archive-saved-searches', '--now', '2027-03-02T00:00:00Z', '--json']));
    expect(report).toMatchObject({ job: 'archive-saved-searches', slot: '2027-03-02T00:00:00.000Z' });
    expect(report.seconds).toBeGreaterThanOrEqual(0);
  });

  it('reports a job that fails on stderr and exits 1, or in the JSON with --json', async () => {
    const text = await jobsctl(['run-job', 'drift-check', '--now', '2027-03-02T00:00:00Z']);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe('drift-check (slot 2027-03-02T00:00:00.000Z) failed: the drift target is unreachable\n');
    const asJson = await jobsctl(['run-job', 'drift-check', '--now', '2027-03-02T00:00:00Z', '--json']);
    expect(asJson.exitCode).toBe(1);
    expect(asJson.stderr).toBe('');
    expect(json<{ error: string }>(asJson).error).toBe('the drift target is unreachable');
  });

  it('refuses an unknown job, listing the jobs, and a --now that is not an instant with offset', async () => {
    const unknown = await jobsctl(['run-job', 'make-coffee']);
    expect(unknown.error).toBeInstanceOf(CliError);
    expect((unknown.error as Error).message).toMatch(/^unknown job "make-coffee"; the jobs are: .*expire-jobs/);
    const badNow = await jobsctl(['run-job', 'expire-jobs', '--now', '2027-03-02']);
    expect((badNow.error as Error).message).toBe('--now must be an ISO-8601 instant with offset, like 2027-03-01T00:00:00Z');
  });
});

describe('notifications', () => {
  beforeAll(async () => {
    const store = openSqliteNotificationStore(join(dir, 'notifications.db'));
    await store.commit({ entries: [], messages: [outboxMessage(1), outboxMessage(2), outboxMessage(3)] }, 'notifications', 3);
    const claimed = await store.claimDue(new Date(Date.now() + 1000), 2, 60_000);
    for (const m of claimed) await store.recordDead(m.id, 'SMTP 550: no such user');
    await store.close();
  });

  it('status prints the counts as text and exits 1 while any message is dead', async () => {
    const run = await jobsctl(['notifications', 'status']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/(^|\s)pending 1(\s|$)/);
    expect(run.stdout).toMatch(/(^|\s)dead 2(\s|$)/);
    expect(run.stdout).toMatch(/\ndue now \d+ {2}oldest pending \d+ s\n$/);
  });

  it('list-dead prints one line per dead message with its last error, at most --limit', async () => {
    const all = await jobsctl(['notifications', 'list-dead']);
    const lines = all.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/ {2}attempts \d+ {2}SMTP 550: no such user$/);
    const one = json<{ dead: unknown[] }>(await jobsctl(['notifications', 'list-dead', '--limit', '1', '--json']));
    expect(one.dead).toHaveLength(1);
    // A limit that is not a number falls back to the default.
    expect(json<{ dead: unknown[] }>(await jobsctl(['notifications', 'list-dead', '--limit', 'many', '--json'])).dead).toHaveLength(2);
  });

  it('retry queues the given dead messages again, then all the others', async () => {
    const dead = json<{ dead: { id: string }[] }>(await jobsctl(['notifications', 'list-dead', '--json'])).dead;
    const one = await jobsctl(['notifications', 'retry', dead[0]!.id]);
    expect(one.stdout).toBe('1 message(s) queued again\n');
    expect(json<{ retried: number }>(await jobsctl(['notifications', 'retry', '--json']))).toEqual({ retried: 1 });
    const after = json<{ byStatus: Record<string, number> }>(await jobsctl(['notifications', 'status', '--json']));
    expect(after.byStatus).toMatchObject({ pending: 3, dead: 0 });
  });
});
