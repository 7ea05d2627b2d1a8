import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authSecret, authSecrets } from './authSecret.ts';

describe('the token-signing secret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth-secret-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is AUTH_SECRET when given, and nothing is written to the data directory', () => {
    expect(authSecret({ AUTH_SECRET: 'given-secret-given-secret-given-secret', DATA_DIR: dir })).toBe('given-secret-given-secret-given-secret');
    expect(() => statSync(join(dir, 'auth-secret'))).toThrow();
  });

  it('without AUTH_SECRET is generated once, kept readable only by its owner, and the same on every later call', () => {
    const dataDir = join(dir, 'not-yet-there');
    const first = authSecret({ AUTH_SECRET: undefined, DATA_DIR: dataDir });
    expect(first).toMatch(/^[\w-]{64}$/);
    const file = join(dataDir, 'auth-secret');
    expect(readFileSync(file, 'utf8')).toBe(`${first}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(authSecret({ AUTH_SECRET: undefined, DATA_DIR: dataDir })).toBe(first);
  });

  it('is read from a kept file without its surrounding whitespace', () => {
    writeFileSync(join(dir, 'auth-secret'), '  kept-secret \n');
    expect(authSecret({ AUTH_SECRET: '', DATA_DIR: dir })).toBe('kept-secret');
  });

  it('comes with the previous secret of a rotation, which only verifies', () => {
    expect(authSecrets({ AUTH_SECRET: 'now-now-now-now-now-now-now-now-now', AUTH_SECRET_PREVIOUS: 'before-before-before-before-before', DATA_DIR: dir })).toEqual({
      current: 'now-now-now-now-now-now-now-now-now',
      previous: 'before-before-before-before-before',
    });
    expect(authSecrets({ AUTH_SECRET: 'now-now-now-now-now-now-now-now-now', AUTH_SECRET_PREVIOUS: undefined, DATA_DIR: dir }).previous).toBeUndefined();
  });
});
