import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { currentEmbeddedPath, embeddedFileName, embeddedVersionOf, embeddedVersions, readPointer, removeEmbeddedVersion, writePointer } from './embeddedVersions.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'embedded-versions-'));
  dirs.push(d);
  return d;
};

describe('embedded read model files', () => {
  it('version 1 keeps the original file names, so an existing data directory is version 1 as it is', () => {
    expect(embeddedFileName('jobs', 1)).toBe('read.db');
    expect(embeddedFileName('lists', 1)).toBe('lists.db');
    expect(embeddedFileName('jobs', 3)).toBe('read.v3.db');
  });

  it('the version read back from a file name is the one written into it', () => {
    fc.assert(
      fc.property(fc.constantFrom('jobs' as const, 'lists' as const), fc.integer({ min: 1, max: 99_999_999 }), (m, v) => {
        expect(embeddedVersionOf(m, embeddedFileName(m, v))).toBe(v);
      }),
    );
    expect(embeddedVersionOf('jobs', 'lists.v2.db')).toBeUndefined();
    expect(embeddedVersionOf('jobs', 'read.v2.db-wal')).toBeUndefined();
    expect(embeddedVersionOf('jobs', 'read.v0.db')).toBeUndefined();
  });

  it('without a pointer file every model is on version 1; the pointer written is the pointer read', () => {
    const dir = tempDir();
    expect(readPointer(dir)).toEqual({ jobs: 1, lists: 1 });
    expect(currentEmbeddedPath(dir, 'jobs')).toBe(join(dir, 'read.db'));
    writePointer(dir, { jobs: 3, lists: 2 });
    expect(readPointer(dir)).toEqual({ jobs: 3, lists: 2 });
    expect(currentEmbeddedPath(dir, 'lists')).toBe(join(dir, 'lists.v2.db'));
  });

  it('lists the versions present and removes one with its WAL and shared-memory files and its segments', () => {
    const dir = tempDir();
    for (const f of ['read.db', 'read.db.segments', 'read.v2.db', 'read.v2.db-wal', 'read.v2.db-shm', 'read.v2.db.segments', 'lists.db', 'events.db']) writeFileSync(join(dir, f), '');
    expect(embeddedVersions(dir, 'jobs')).toEqual([1, 2]);
    expect(embeddedVersions(dir, 'lists')).toEqual([1]);
    removeEmbeddedVersion(dir, 'jobs', 2);
    expect(embeddedVersions(dir, 'jobs')).toEqual([1]);
    expect(readdirSync(dir).filter((f) => f.startsWith('read.v2'))).toEqual([]);
  });
});
