// Naming of versioned concrete indexes (`<alias>_v<N>`) and the alias actions
// of a blue/green swap. Pure: the engine calls live in engineRebuild.ts.
import type { AliasAction } from '../../query/engine/searchClient.ts';

/** The version of a concrete index of `alias`, or undefined when the name is not `<alias>_v<N>`. */
export function versionOf(alias: string, index: string): number | undefined {
  if (!index.startsWith(`${alias}_v`)) return undefined;
  const digits = index.slice(alias.length + 2);
  if (!/^[1-9][0-9]{0,8}$/.test(digits)) return undefined;
  return Number(digits);
}

export function versionedName(alias: string, version: number): string {
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`index version must be a positive integer, not ${version}`);
  return `${alias}_v${version}`;
}

/** The versions of `alias` among `indexes`, ascending. */
export function versionsOf(alias: string, indexes: Iterable<string>): number[] {
  const out = new Set<number>();
  for (const i of indexes) {
    const v = versionOf(alias, i);
    if (v !== undefined) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The next version to build: one above every version that exists, so a
 * rebuild never reuses the name of an index kept for rollback (nor of one a
 * failed rebuild left behind).
 */
export function nextVersion(alias: string, indexes: Iterable<string>): number {
  const versions = versionsOf(alias, indexes);
  return (versions.at(-1) ?? 0) + 1;
}

/**
 * The version `rollback-index` goes back to: the highest existing version
 * below the current one.
 */
export function previousVersion(alias: string, indexes: Iterable<string>, current: number): number | undefined {
  return versionsOf(alias, indexes)
    .filter((v) => v < current)
    .at(-1);
}

export interface AliasMove {
  alias: string;
  from?: string;
  to: string;
}

/**
 * One `_aliases` request body for several moves: the engine applies it
 * atomically, so every read sees either all old indexes or all new ones,
 * never an alias with no index or with two.
 */
export function swapActions(moves: readonly AliasMove[]): AliasAction[] {
  const actions: AliasAction[] = [];
  for (const m of moves) {
    if (m.from === m.to) continue;
    if (m.from !== undefined) actions.push({ remove: { index: m.from, alias: m.alias } });
    actions.push({ add: { index: m.to, alias: m.alias } });
  }
  return actions;
}

/**
 * The checkpoint document of a projection writing one version (set) of its
 * indexes, e.g. `jobs@v2`: what the version has applied, beside the live
 * projection's own checkpoint (`jobs`), so a rollback resumes from it.
 */
export function versionCheckpointName(projection: string, version: number): string {
  return `${projection}@v${version}`;
}
