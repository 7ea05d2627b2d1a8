import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import { openSqliteEventStore } from '../../eventstore/sqlite/sqliteEventStore.ts';
import { spawnServer, waitForExit } from '../support/serverProcess.ts';

const root = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('npm start on a fresh data directory', () => {
  it('seeds the demo dataset once, prints no token when stdout is not a terminal, and jobsctl token signs tokens it accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-start-'));
    dirs.push(dir);
    // No AUTH_SECRET: the embedded mode generates one into the data directory.
    const env = { DATA_DIR: dir, SEED_JOBS: '1500', AUTH_SECRET: '' };
    const server = await spawnServer(env);
    let printedHead = 0;
    try {
      expect(server.output()).toMatch(/seeded \d+ events/);
      // stdout is a pipe here (as under a log collector): the demo tokens are for a terminal only (printsDemoTokens).
      expect(server.output()).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
      expect(server.output()).not.toMatch(/Demo tokens/);
      const jobsctlToken = (role: string, sub: string) =>
        execFileSync(process.execPath, [join(root, 'ops', 'bin', 'jobsctl.js'), 'token', '--role', role, '--sub', sub], {
          cwd: root,
          env: { ...process.env, DATA_DIR: dir, AUTH_SECRET: '' },
          encoding: 'utf8',
        }).trim();
      const headers = { 'content-type': 'application/json' };
      const created = await fetch(`${server.url}/v1/jobs`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${jobsctlToken('business', 'b00001')}` }, body: JSON.stringify(jobExample) });
      expect(created.status).toBe(201);
      printedHead = ((await created.json()) as { position: number }).position;

      const cliToken = jobsctlToken('worker', 'w00001');
      const profile = await fetch(`${server.url}/v1/me/profile`, {
        method: 'PUT',
        headers: { ...headers, authorization: `Bearer ${cliToken}` },
        body: JSON.stringify({ name: 'Demo Worker', skills: ['espresso'], maxTravelKm: 25, availability: [], experienceYears: 1 }),
      });
      expect(profile.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }

    // A restart does not seed again: the log only grows by what clients wrote.
    const again = await spawnServer(env);
    again.child.kill('SIGTERM');
    await waitForExit(again.child);
    expect(again.output()).not.toMatch(/seeding/);
    const store = await openSqliteEventStore({ path: join(dir, 'events.db') });
    try {
      expect(await store.headPosition()).toBe(printedHead + 1);
      expect((await store.readStream('job-j000001')).map((e) => e.type)[0]).toBe('JobDrafted');
    } finally {
      await store.close();
    }
  });

  it('refuses to start with a clear message for each bad setting', () => {
    let out = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(root, 'ops', 'main.ts')], {
        cwd: root,
        env: { ...process.env, PORT: 'eighty', JOBS_MODE: 'server', AUTH_SECRET: 'short', DATABASE_URL: '' },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (err) {
      const e = err as { status: number; stderr: string };
      expect(e.status).toBe(2);
      out = e.stderr;
    }
    expect(out).toContain('PORT');
    expect(out).toContain('AUTH_SECRET');
    expect(out).toContain('DATABASE_URL');
  });
});
