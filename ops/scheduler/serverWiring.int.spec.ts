import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { startServer } from '../startServer.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function config(scheduler: 'on' | 'off') {
  const dir = mkdtempSync(join(tmpdir(), 'sched-wiring-'));
  dirs.push(dir);
  return loadConfig({ DATA_DIR: dir, PORT: '0', SEED: 'false', LOG_LEVEL: 'silent', AUTH_SECRET: 'sched-wiring-secret-sched-wiring-secret', SCHEDULER: scheduler });
}

describe('the scheduler in startServer (embedded)', () => {
  it('role all arms the scheduled jobs, /readyz reports the scheduler, and stop() disarms them', async () => {
    const server = await startServer(config('on'), { quiet: true, handleSignals: false });
    try {
      expect(server.scheduler?.jobs.map((j) => j.name)).toEqual(['expire-jobs', 'archive-saved-searches', 'drift-check', 'saved-search-digest', 'remind-expiring-jobs', 'weekly-summary', 'purge-idempotency-keys']);
      expect(server.scheduler?.armedTasks()).toBe(7);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ checks: { scheduler: 'ok' } });
    } finally {
      await server.stop();
    }
    expect(server.scheduler?.armedTasks()).toBe(0);
  });

  it('SCHEDULER=off and the command role run no scheduler', async () => {
    const off = await startServer(config('off'), { quiet: true, handleSignals: false });
    const command = await startServer(config('on'), { quiet: true, handleSignals: false, role: 'command' });
    try {
      expect(off.scheduler).toBeUndefined();
      expect(command.scheduler).toBeUndefined();
      expect(await (await fetch(`${off.url}/readyz`)).json()).not.toHaveProperty('checks.scheduler');
    } finally {
      await off.stop();
      await command.stop();
    }
  });
});
