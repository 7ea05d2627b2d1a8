import type { Principal } from '../command/http/auth.ts';

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
