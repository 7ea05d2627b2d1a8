import type { Principal } from '../eventstore/events/index.ts';
import type { TokenService } from './http/tokens.ts';
import type { WebAccounts } from '../query/web/session.ts';
import { ttlSeconds } from './http/tokens.ts';

/** Subjects that exist in the seeded demo dataset. */
export const demoPrincipals: readonly Principal[] = [
  { role: 'business', sub: 'b00001' },
  { role: 'worker', sub: 'w00001' },
  { role: 'operator', sub: 'ops' },
];

/**
 * Whether a start prints tokens for the demo accounts: in embedded mode, with
 * the demo dataset on (SEED), and only when stdout is a terminal, so that they
 * never land in a log file, a pipe or a container log. Server mode prints none
 * (`jobsctl token` signs one on demand).
 */
export function printsDemoTokens(config: { JOBS_MODE: 'embedded' | 'server'; SEED: boolean }, stdoutIsTTY: boolean): boolean {
  return config.JOBS_MODE === 'embedded' && config.SEED && stdoutIsTTY;
}

/**
 * Signing in to the web pages: any valid worker or business token, kept in a
 * cookie for the token's lifetime; with the demo dataset in embedded mode also
 * a picker of the demo accounts (server mode has none: tokens come from `jobsctl token`).
 */
export function webAccounts(config: { JOBS_MODE: 'embedded' | 'server'; SEED: boolean; TOKEN_TTL: string }, tokens: TokenService): WebAccounts {
  const demo = config.JOBS_MODE === 'embedded' && config.SEED;
  return {
    verify: (token) => tokens.verify(token),
    sessionSeconds: ttlSeconds(config.TOKEN_TTL) ?? 12 * 3600,
    ...(demo
      ? {
          demo: {
            accounts: demoPrincipals.flatMap((p) => (p.role === 'operator' ? [] : [{ role: p.role, sub: p.sub, label: `the demo ${p.role} (${p.sub})` }])),
            sign: (user) => tokens.sign(user),
          },
        }
      : {}),
  };
}
