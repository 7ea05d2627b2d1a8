// Embedded mode keeps each read model in a SQLite file under DATA_DIR:
// version 1 is the original name (`read.db`, `lists.db`), version N
// `read.v<N>.db`, `lists.v<N>.db`. `read-models.json` names the version the
// service opens; a rebuild writes it (atomically, by rename) after the swap.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadModelName } from './engineReadModels.ts';

export const POINTER_FILE = 'read-models.json';

const BASE: Record<ReadModelName, string> = { jobs: 'read', lists: 'lists' };

export function embeddedFileName(model: ReadModelName, version: number): string {
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`read model version must be a positive integer, not ${version}`);
  return version === 1 ? `${BASE[model]}.db` : `${BASE[model]}.v${version}.db`;
}

/** The version a file name holds, or undefined when it is not one of the model's files. */
export function embeddedVersionOf(model: ReadModelName, file: string): number | undefined {
  if (file === `${BASE[model]}.db`) return 1;
  const m = new RegExp(`^${BASE[model]}\\.v([1-9][0-9]{0,8})\\.db$`).exec(file);
  return m ? Number(m[1]) : undefined;
}

export function embeddedVersions(dir: string, model: ReadModelName): number[] {
  if (!existsSync(dir)) return [];
  const out = new Set<number>();
  for (const f of readdirSync(dir)) {
    const v = embeddedVersionOf(model, f);
    if (v !== undefined) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

export type Pointer = Record<ReadModelName, number>;

export function readPointer(dir: string): Pointer {
  const path = join(dir, POINTER_FILE);
  const base: Pointer = { jobs: 1, lists: 1 };
  if (!existsSync(path)) return base;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<string, unknown>>;
  for (const k of ['jobs', 'lists'] as const) {
    const v = raw[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) base[k] = v;
  }
  return base;
}

export function writePointer(dir: string, pointer: Pointer): void {
  const path = join(dir, POINTER_FILE);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(pointer)}\n`);
  renameSync(tmp, path);
}

/** The file the service opens for the model. */
export function currentEmbeddedPath(dir: string, model: ReadModelName): string {
  return join(dir, embeddedFileName(model, readPointer(dir)[model]));
}

/** Removes a version's database with its WAL and shared-memory files and the jobs store's persisted segments. */
export function removeEmbeddedVersion(dir: string, model: ReadModelName, version: number): void {
  const path = join(dir, embeddedFileName(model, version));
  for (const suffix of ['', '-wal', '-shm', '-journal', '.segments', '.segments.tmp']) rmSync(`${path}${suffix}`, { force: true });
}
