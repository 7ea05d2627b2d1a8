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

  it('seeds by default in embedded mode only: server mode seeds when asked to', () => {
    const server = { JOBS_MODE: 'server', DATABASE_URL: 'postgres://u@h:5432/db', SEARCH_URL: 'http://127.0.0.1:9200', AUTH_SECRET: 'x'.repeat(32) };
    expect(loadConfig({}).SEED).toBe(true);
    expect(loadConfig({ SEED: 'false' }).SEED).toBe(false);
    expect(loadConfig(server).SEED).toBe(false);
    expect(loadConfig({ ...server, SEED: 'true' }).SEED).toBe(true);
  });

  it('caps token lifetimes at 12 h by default and refuses a TOKEN_TTL past TOKEN_MAX_TTL', () => {
    expect(loadConfig({})).toMatchObject({ TOKEN_TTL: '12h', TOKEN_MAX_TTL: '12h', METRICS_AUTH: 'operator' });
    expect(loadConfig({ TOKEN_TTL: '2d', TOKEN_MAX_TTL: '7d' })).toMatchObject({ TOKEN_TTL: '2d', TOKEN_MAX_TTL: '7d' });
    expect(() => loadConfig({ TOKEN_TTL: '30d' })).toThrow(/TOKEN_TTL: 30d is longer than TOKEN_MAX_TTL \(12h\)/);
    expect(() => loadConfig({ TOKEN_MAX_TTL: '0h' })).toThrow(/TOKEN_MAX_TTL: a duration/);
    expect(() => loadConfig({ AUTH_SECRET_PREVIOUS: 'short' })).toThrow(/AUTH_SECRET_PREVIOUS: must be at least 32/);
    expect(() => loadConfig({ METRICS_AUTH: 'anyone' })).toThrow(/METRICS_AUTH/);
  });

  it('rate limits on by default; TRUST_PROXY is false, true or a list of proxy addresses', () => {
    expect(loadConfig({})).toMatchObject({ RATE_LIMIT: 'on', RATE_LIMIT_SEARCH: 600, RATE_LIMIT_WRITE: 120, RATE_LIMIT_EXPENSIVE: 60, TRUST_PROXY: false });
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toBe('10.0.0.0/8,127.0.0.1');
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ RATE_LIMIT_WRITE: '0' })).toThrow(/RATE_LIMIT_WRITE/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', AUTH_SECRET: '' }).PORT).toBe(3000);
  });
});
