import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenSecrets } from './http/tokens.ts';
import type { Config } from './config.ts';

/**
 * The token-signing secret: AUTH_SECRET when given (server mode requires it),
 * else one generated on first start and kept in the data directory, so tokens
 * printed by `jobsctl token` keep working across restarts of the embedded mode.
 */
export function authSecret(config: Pick<Config, 'AUTH_SECRET' | 'DATA_DIR'>): string {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  const file = join(config.DATA_DIR, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * The secrets tokens are checked against: the current one (signs) and, during
 * a rotation, AUTH_SECRET_PREVIOUS (still verifies until its tokens expire).
 */
export function authSecrets(config: Pick<Config, 'AUTH_SECRET' | 'AUTH_SECRET_PREVIOUS' | 'DATA_DIR'>): TokenSecrets {
  return { current: authSecret(config), previous: config.AUTH_SECRET_PREVIOUS };
}
