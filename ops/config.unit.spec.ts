import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded mode on SQLite under ./data, port 3000', () => {
    expect(loadConfig({})).toMatchObject({ JOBS_MODE: 'embedded', EVENT_STORE: 'sqlite', DATA_DIR: './data', PORT: 3000, SEED: true, SEED_JOBS: 20_000 });
  });

  it('picks PostgreSQL in server mode and requires its URL and a shared secret', () => {
    const config = loadConfig({ JOBS_MODE: 'server', DATABASE_URL: 'postgres://u@h:5432/db', SEARCH_URL: 'http://127.0.0.1:9200', AUTH_SECRET: 'x'.repeat(32) });
    expect(config.EVENT_STORE).toBe('postgres');
    expect(() => loadConfig({ JOBS_MODE: 'server' })).toThrow(ConfigError);
  });

  it('names every bad variable with its value', () => {
    try {
      loadConfig({ PORT: '70000', SEED: 'maybe', EVENT_STORE: 'eventstoredb', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^PORT: .*\(got "70000"\)/m);
      expect(problems).toMatch(/^SEED: /m);
      expect(problems).toMatch(/^EVENTSTOREDB_URL: required/m);
      expect(problems).toMatch(/^LOG_LEVEL: /m);
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', AUTH_SECRET: '' }).PORT).toBe(3000);
  });
});
