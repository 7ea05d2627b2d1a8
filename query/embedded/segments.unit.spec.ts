// Persisted segments: a store reopened from them must answer exactly as the
// same file reopened row by row (the full load), and a segment file that does
// not describe exactly the rows (stale, torn, corrupt, another file's, an older
// analyzer's) must never load. Real SQLite files in a temporary directory.

import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { NOW, docBody, docsArb, filtersArb, toDoc, vocabulary } from '../../tests/support/jobFixtures.ts';
import { type EmbeddedJobStore, type FilterInput, openEmbeddedJobStore } from './embeddedJobStore.ts';
import { segmentsPath } from './segmentLayout.ts';

const runs = Number(process.env.FC_RUNS ?? 25);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'segments-'));
  dirs.push(dir);
  return join(dir, 'read.db');
}

const world = { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
const sorts = ['relevance', 'newest', 'pay', 'expiring'] as const;

/** A spread of reads: every sort paged to the end by cursor with facets, maps at two zooms, documents, match fields, suggestions, sizes. */
async function answers(store: EmbeddedJobStore, ids: readonly string[], queries: readonly FilterInput[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const f of queries) {
    for (const sort of f.near ? [...sorts, 'distance' as const] : sorts) {
      let cursor: string | undefined;
      for (let page = 0; page < 40; page++) {
        const r = await store.search({ ...f, sort, size: 4, facets: page === 0, highlight: true, ...(cursor ? { cursor } : {}) }, NOW);
        out.push(r);
        if (!r.nextCursor) break;
        cursor = r.nextCursor;
      }
    }
    for (const zoom of [2, 7]) out.push(await store.map({ ...f, bbox: world, zoom }, NOW));
  }
  // Skills of a match candidate come in interned-id order, which depends on the order jobs were first written: as a set.
  const candidates = store.matchJobs([...ids, 'no-such-job']).map((c) => c && { ...c, skills: [...c.skills].sort() });
  out.push(await store.getJobs([...ids, 'no-such-job']), candidates, await store.count());
  for (const prefix of ['c', 'se', 'ba', 'night']) out.push(await store.suggest(prefix, 20));
  const { geoDelta: _delta, mapPyramid: _pyramid, ...sizes } = store.stats();
  out.push(sizes);
  return out;
}

/** What the file answers opened from its segments and opened row by row; the segments must have been taken. */
async function bothWays(path: string, ids: readonly string[], queries: readonly FilterInput[]): Promise<{ segments: unknown[]; rows: unknown[] }> {
  const fromSegments = await openEmbeddedJobStore({ path });
  let segments: unknown[];
  try {
    expect(fromSegments.openedFrom).toBe('segments');
    segments = await answers(fromSegments, ids, queries);
  } finally {
    fromSegments.close();
  }
  const fromRows = await openEmbeddedJobStore({ path, segments: false });
  try {
    expect(fromRows.openedFrom).toBe('rows');
    return { segments, rows: await answers(fromRows, ids, queries) };
  } finally {
    fromRows.close();
  }
}

type Op =
  | { kind: 'write'; docs: JobDocument[] }
  | { kind: 'delete'; at: number }
  | { kind: 'repair'; at: number; doc: JobDocument }
  | { kind: 'remove'; at: number };

/** Batches of new and rewritten documents, drift deletes and repairs, projector removals, against the jobs written so far. */
const opsArb = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: docsArb(1, 12).map((docs): Op => ({ kind: 'write', docs })) },
    { weight: 2, arbitrary: fc.array(fc.tuple(fc.nat(), docBody), { minLength: 1, maxLength: 8 }).map((xs): Op => ({ kind: 'write', docs: xs.map(([i, b]) => toDoc(`#${i}`, b)) })) },
    { weight: 1, arbitrary: fc.nat().map((at): Op => ({ kind: 'delete', at })) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(), docBody).map(([at, b]): Op => ({ kind: 'repair', at, doc: toDoc('', b) })) },
    { weight: 1, arbitrary: fc.nat().map((at): Op => ({ kind: 'remove', at })) },
  ),
  { minLength: 1, maxLength: 8 },
);

/** Applies the ops through the store's write paths; returns every job id ever written. */
async function apply(store: EmbeddedJobStore, ops: readonly Op[], known: Set<string>): Promise<void> {
  const pick = (at: number): string | undefined => [...known][at % Math.max(1, known.size)];
  for (const op of ops) {
    if (op.kind === 'write') {
      // '#n' names an already written job: a rewrite (newer or older position alike; older ones are refused).
      const docs = op.docs.map((d) => (d.jobId.startsWith('#') ? { ...d, jobId: pick(Number(d.jobId.slice(1))) ?? `j-${d.jobId}` } : d));
      await store.putJobs(docs);
      for (const d of docs) known.add(d.jobId);
    } else {
      const jobId = pick(op.at);
      if (jobId === undefined) continue;
      const seen = (await store.getJob(jobId))?.position;
      if (op.kind === 'delete' && seen !== undefined) store.deleteJobs([{ jobId, seenPosition: seen }]);
      if (op.kind === 'repair') store.replaceJobs([{ doc: { ...op.doc, jobId }, seenPosition: seen }]);
      if (op.kind === 'remove' && seen !== undefined) await store.removeJobs([{ jobId, position: seen + 1 }]);
    }
  }
}

const queriesArb = fc.array(filtersArb, { minLength: 1, maxLength: 3 }).map((fs): FilterInput[] => [{}, { text: 'cook kitchen' }, { includeClosed: true, businessId: 'biz-1' }, ...fs]);

describe('persisted segments answer exactly as the full load', () => {
  it('after writes, rewrites, drift deletes and repairs and removals, across a reopen and more writes', async () => {
    await fc.assert(
      fc.asyncProperty(docsArb(0, 30), opsArb, opsArb, queriesArb, async (initial, ops, later, queries) => {
        const path = tempPath();
        const known = new Set<string>();
        const store = await openEmbeddedJobStore({ path, geoDeltaLimit: 2 });
        expect(store.openedFrom).toBe('rows');
        await apply(store, [{ kind: 'write', docs: initial }, ...ops], known);
        store.close();
        const first = await bothWays(path, [...known], queries);
        expect(first.segments).toEqual(first.rows);
        // Writes on a store restored from segments (its postings and columns are views of the file's buffer) and a second save.
        const again = await openEmbeddedJobStore({ path, geoDeltaLimit: 2 });
        expect(again.openedFrom).toBe('segments');
        await apply(again, later, known);
        again.close();
        const second = await bothWays(path, [...known], queries);
        expect(second.segments).toEqual(second.rows);
        rmSync(dirname(path), { recursive: true, force: true });
      }),
      { numRuns: runs },
    );
  }, 120_000);

  it('an empty store round-trips', async () => {
    const path = tempPath();
    (await openEmbeddedJobStore({ path })).close();
    const { segments, rows } = await bothWays(path, [], [{}]);
    expect(segments).toEqual(rows);
  });
});

/** A closed store with a few documents and fresh segments beside it. */
async function savedStore(): Promise<{ path: string; docs: JobDocument[] }> {
  const path = tempPath();
  const docs = fc.sample(docsArb(20, 20), { numRuns: 1, seed: 11 })[0]!.map((d) => ({ ...d, status: 'open' as const, expiresAt: '2030-01-01T00:00:00.000Z' }));
  const store = await openEmbeddedJobStore({ path });
  await store.putJobs(docs);
  store.close();
  expect(existsSync(segmentsPath(path))).toBe(true);
  return { path, docs };
}

const extra = (docs: readonly JobDocument[]): JobDocument => ({ ...docs[0]!, jobId: 'written-after', title: `${vocabulary[6]} zyzzyva`, position: 10_000_000 });

async function openedFrom(path: string): Promise<{ from: string; hasExtra: boolean }> {
  const s = await openEmbeddedJobStore({ path });
  try {
    return { from: s.openedFrom, hasExtra: (await s.search({ text: 'zyzzyva' }, NOW)).total === 1 };
  } finally {
    s.close();
  }
}

describe('segments that do not describe the rows exactly are ignored', () => {
  it('a write after them by a store with segments turned off', async () => {
    const { path, docs } = await savedStore();
    const other = await openEmbeddedJobStore({ path, segments: false });
    await other.putJobs([extra(docs)]);
    other.close();
    expect(await openedFrom(path)).toEqual({ from: 'rows', hasExtra: true });
  });

  it('a write by a process that never closed (a crash): the next open reads the rows', async () => {
    const { path, docs } = await savedStore();
    const crashed = await openEmbeddedJobStore({ path });
    expect(crashed.openedFrom).toBe('segments');
    await crashed.putJobs([extra(docs)]);
    // Opened while the writer still holds the file, as after a crash: its close never ran.
    expect(await openedFrom(path)).toEqual({ from: 'rows', hasExtra: true });
    crashed.close();
  });

  it('two writers on one file: neither saves segments missing the other’s write', async () => {
    const { path, docs } = await savedStore();
    const a = await openEmbeddedJobStore({ path });
    const b = await openEmbeddedJobStore({ path });
    await b.putJobs([extra(docs)]);
    // No new terms from the second writer: two connections adding terms at once would both take the next free term id.
    await a.putJobs([{ ...docs[1]!, hourlyMin: 95, hourlyMax: 95, position: 10_000_001 }]);
    a.close();
    b.close();
    const s = await openEmbeddedJobStore({ path });
    try {
      expect(s.openedFrom).toBe('rows');
      expect((await s.search({ text: 'zyzzyva' }, NOW)).total).toBe(1);
      expect((await s.search({ payMin: 95 }, NOW)).hits.map((h) => h.job.jobId)).toEqual([docs[1]!.jobId]);
    } finally {
      s.close();
    }
    // That open saved fresh segments at its close: the next open takes them.
    expect(await openedFrom(path)).toEqual({ from: 'segments', hasExtra: true });
  });

  it('a truncated, a corrupted or a foreign file', async () => {
    const { path } = await savedStore();
    const seg = segmentsPath(path);
    const good = readFileSync(seg);
    truncateSync(seg, statSync(seg).size - 8);
    expect((await openedFrom(path)).from).toBe('rows');
    // A byte flipped in the middle: same length, wrong checksum.
    const flipped = Buffer.from(good);
    const mid = flipped.length >> 1;
    flipped[mid] = flipped[mid]! ^ 0xff;
    writeFileSync(seg, flipped);
    expect((await openedFrom(path)).from).toBe('rows');
    writeFileSync(seg, 'not segments at all');
    expect((await openedFrom(path)).from).toBe('rows');
    writeFileSync(seg, good);
    expect((await openedFrom(path)).from).toBe('segments');
  });

  it('another file’s segments, even at the same write counter', async () => {
    const { path } = await savedStore();
    const other = await savedStore();
    // Both files are at the same write counter, same layout and analyzer: only the file's id tells them apart.
    copyFileSync(segmentsPath(other.path), segmentsPath(path));
    expect((await openedFrom(path)).from).toBe('rows');
  });

  it('segments of another analyzer version', async () => {
    const { path } = await savedStore();
    const raw = new Database(path);
    raw.prepare("UPDATE store_meta SET value = 'an older analyzer' WHERE key = 'analyzer'").run();
    raw.close();
    expect((await openedFrom(path)).from).toBe('rows');
    // The full load analyzed again, then saved segments of the current analyzer.
    expect((await openedFrom(path)).from).toBe('segments');
  });

  it('no segments are written for an in-memory store, a write-only build, or with segments turned off', async () => {
    const path = tempPath();
    const off = await openEmbeddedJobStore({ path, segments: false });
    await off.putJobs(fc.sample(docsArb(3, 3), { numRuns: 1, seed: 2 })[0]!);
    off.close();
    expect(existsSync(segmentsPath(path))).toBe(false);
    const build = await openEmbeddedJobStore({ path: `${path}.build`, writeOnly: true });
    await build.putJobs(fc.sample(docsArb(3, 3), { numRuns: 1, seed: 2 })[0]!);
    build.close();
    expect(existsSync(segmentsPath(`${path}.build`))).toBe(false);
  });
});
