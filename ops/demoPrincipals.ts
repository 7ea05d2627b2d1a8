import type { Principal } from '../command/http/auth.ts';

/** Subjects that exist in the seeded demo dataset. */
export const demoPrincipals: readonly Principal[] = [
  { role: 'business', sub: 'b00001' },
  { role: 'worker', sub: 'w00001' },
  { role: 'operator', sub: 'ops' },
];
