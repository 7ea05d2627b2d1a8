/** A failure the user can fix: printed as one line, exit code 2. */
export class CliError extends Error {}

export function parseCount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new CliError(`${flag} must be a non-negative integer`);
  return n;
}
