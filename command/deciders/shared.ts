import type { z } from 'zod';
import { DomainError } from '../decider.ts';
import { id, isoInstant } from '../../eventstore/events/index.ts';

/** Milliseconds in a day; expiry windows are measured in whole days of 24 hours. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The furthest ahead a job's expiry may be set, relative to the command's `now`. */
export const MAX_EXPIRY_MS = 365 * DAY_MS;

/**
 * Milliseconds since the epoch of an ISO-8601 instant with offset, or null when
 * the text is not one. Parsing a given string is pure; only reading the clock is not.
 */
export function instantMs(value: unknown): number | null {
  if (!isoInstant.safeParse(value).success) return null;
  const ms = Date.parse(value as string);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Checks what every command carries into its events: ids in the catalog's id
 * format and `now` as an ISO instant. The API validates its inputs already; this
 * keeps a decider from ever emitting data its own schema would reject.
 */
export function checkEnvelope(ids: Readonly<Record<string, string | undefined>>, now: string): DomainError | number {
  for (const [name, value] of Object.entries(ids)) {
    if (value === undefined) continue;
    if (!id.safeParse(value).success) return new DomainError('invalid_id', `${name} is not a valid id`, 'unprocessable');
  }
  const nowMs = instantMs(now);
  if (nowMs === null) return new DomainError('invalid_time', 'now must be an ISO-8601 instant with offset', 'unprocessable');
  return nowMs;
}

/** One line naming the first few problems zod found. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * A deep copy of a JSON-like value without the object keys that hold undefined:
 * what the value looks like once stored as JSON. Only use it on values whose
 * undefined keys are optional, which is what the cast claims.
 */
export function withoutUndefined<T>(value: T): T {
  return compact(value) as T;
}

function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, compact(v)]),
  );
}

/**
 * Structural equality of JSON-like values (what event data is): key order does
 * not matter and a key holding undefined equals an absent key.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    if (!jsonEqual(left[key], right[key])) return false;
  }
  return true;
}
