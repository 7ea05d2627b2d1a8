// Secrets: the start banner prints tokens for the demo accounts only
// in embedded mode on a terminal; server mode prints none and does not seed
// unless asked to. (A pipe, as under a log collector: tests/e2e/embeddedStart.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropServerModeState } from '../tests/support/fullApp.ts';
import { loadConfig } from './config.ts';
import type { Config } from './config.ts';
import { demoPrincipals, printsDemoTokens } from './demoPrincipals.ts';
import { startServer } from './startServer.ts';

const dirs: string[] = [];
const tag = `dt${Math.random().toString(36).slice(2, 10)}`;
afterAll(async () => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  await dropServerModeState(tag, process.env.SEARCH_URL!, process.env.DATABASE_URL!);
});
const jwt = /eyJ[\w-]+\.[\w-]+\.[\w-]+/g;

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'demo-tokens-'));
  dirs.push(dir);
  return dir;
}

/** startServer's banner as a terminal would show it (stdout a TTY), and the running server. */
async function startOnTerminal(config: Config) {
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true, writable: true });
  process.stdout.write = (chunk: string | Uint8Array) => written.push(String(chunk)) > 0;
  try {
    const server = await startServer(config, { handleSignals: false });
    return { server, banner: written.join('') };
  } finally {
    process.stdout.write = write;
    if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
}

describe('demo tokens', () => {
  it('are printed for embedded mode with the demo dataset on a terminal only', () => {
    expect(printsDemoTokens({ JOBS_MODE: 'embedded', SEED: true }, true)).toBe(true);
    expect(printsDemoTokens({ JOBS_MODE: 'embedded', SEED: true }, false)).toBe(false);
    expect(printsDemoTokens({ JOBS_MODE: 'embedded', SEED: false }, true)).toBe(false);
    expect(printsDemoTokens({ JOBS_MODE: 'server', SEED: true }, true)).toBe(false);
  });

  it('embedded mode on a terminal: one token per demo account, each accepted, valid TOKEN_TTL', async () => {
    const { server, banner } = await startOnTerminal(loadConfig({ DATA_DIR: dataDir(), PORT: '0', SEED_JOBS: '30', LOG_LEVEL: 'silent', SCHEDULER: 'off', AUTH_SECRET: 'demo-tokens-secret-demo-tokens-secret-01' }));
    try {
      expect(banner).toContain('Demo tokens, valid 12h');
      const printed = banner.match(jwt) ?? [];
      expect(printed).toHaveLength(demoPrincipals.length);
      expect(await Promise.all(printed.map((t) => server.runtime.tokens.verify(t)))).toEqual(demoPrincipals);
      const me = await fetch(`${server.url}/v1/me/saved-jobs`, { headers: { authorization: `Bearer ${printed[1]}` } });
      expect(me.status).toBeLessThan(400);
    } finally {
      await server.stop();
    }
  });

  it('embedded mode without the demo dataset prints none', async () => {
    const { server, banner } = await startOnTerminal(loadConfig({ DATA_DIR: dataDir(), PORT: '0', SEED: 'false', LOG_LEVEL: 'silent', SCHEDULER: 'off', AUTH_SECRET: 'demo-tokens-secret-demo-tokens-secret-01' }));
    await server.stop();
    expect(banner).not.toMatch(jwt);
    expect(banner).toContain('Tokens: npm run jobsctl -- token');
  });

  it('server mode prints none, even on a terminal, and seeds nothing unless SEED=true', async () => {
    const config = loadConfig({
      JOBS_MODE: 'server',
      DATA_DIR: dataDir(),
      PORT: '0',
      LOG_LEVEL: 'silent',
      SCHEDULER: 'off',
      DATABASE_URL: process.env.DATABASE_URL,
      SEARCH_URL: process.env.SEARCH_URL,
      AUTH_SECRET: 'demo-tokens-server-secret-demo-tokens-0123',
      SEARCH_PREFIX: `${tag}_`,
      DATABASE_SCHEMA_PREFIX: tag,
    });
    expect(config.SEED).toBe(false);
    const { server, banner } = await startOnTerminal(config);
    try {
      expect(banner).toContain('server mode');
      expect(banner).not.toMatch(jwt);
      expect(banner).not.toContain('Demo tokens');
      expect(banner).not.toContain('seeding');
      expect(await server.runtime.store.headPosition()).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
