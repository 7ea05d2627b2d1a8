// The embedded adapter of the list stores: one SQLite table per model in its
// own file (`data/lists.db`), a column per owner and filter field with an index
// (owner, sort, key) per owner field, so a list is one indexed range scan. The
// lists projection commits its documents and checkpoint in one transaction.
import Database from 'better-sqlite3';
import type { ApplicationDocument, SavedJobDocument, SavedSearchDocument } from '../../projections/lists/listDocuments.ts';
import type { KeyedDocStore, ListChanges, ListModel, ListPage, ListQuery, ListSink, Positioned, StoredEntry } from './keyedStore.ts';
import type { JobStatsDocument } from '../../projections/lists/jobStats.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { EmbeddedPercolator } from '../embedded/percolator/embeddedPercolator.ts';
import {
  applicationsModel,
  jobStatsModel,
  checkListQuery,
  decodeListCursor,
  encodeListCursor,
  fieldOf,
  savedJobsModel,
  savedSearchesModel,
  sortMsOf,
} from './keyedStore.ts';

type Db = Database.Database;

interface Row {
  key: string;
  position: number;
  sort_ms: number | null;
  doc: string | null;
}

const ident = (s: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new Error(`not an SQL identifier: ${s}`);
  return `"${s}"`;
};
const ownerCol = (f: string) => ident(`o_${f}`);
const filterCol = (f: string) => ident(`f_${f}`);

interface SyncKeyedStore<D extends Positioned> extends KeyedDocStore<D> {
  writeSync(entries: readonly StoredEntry<D>[]): void;
}

function sqliteKeyedStore<D extends Positioned>(db: Db, model: ListModel<D>): SyncKeyedStore<D> {
  const table = ident(model.name);
  const owners = [...model.ownerFields];
  const filters = [...model.filterFields];
  const extraCols = [...owners.map((f) => `${ownerCol(f)} TEXT`), ...filters.map((f) => `${filterCol(f)} TEXT`)];
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, position INTEGER NOT NULL, sort_ms INTEGER, doc TEXT${extraCols.map((c) => `, ${c}`).join('')})`);
  for (const f of owners) {
    db.exec(`CREATE INDEX IF NOT EXISTS ${ident(`${model.name}_by_${f}`)} ON ${table} (${ownerCol(f)}, sort_ms DESC, key DESC)`);
  }
  const cols = ['key', 'position', 'sort_ms', 'doc', ...owners.map(ownerCol), ...filters.map(filterCol)];
  const upsert = db.prepare(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
     ON CONFLICT(key) DO UPDATE SET ${cols.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}
     WHERE excluded.position > ${table}.position`,
  );
  const selectOne = db.prepare<[string], Row>(`SELECT key, position, sort_ms, doc FROM ${table} WHERE key = ?`);

  const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
  const writeSync = (entries: readonly StoredEntry<D>[]) => {
    for (const e of entries) {
      const d = e.doc;
      upsert.run(
        e.key,
        e.position,
        d ? sortMsOf(model, d) : null,
        d ? JSON.stringify(d) : null,
        ...owners.map((f) => (d ? str(fieldOf(d, f)) : null)),
        ...filters.map((f) => (d ? str(fieldOf(d, f)) : null)),
      );
    }
  };
  const toEntry = (r: Row): StoredEntry<D> => ({ key: r.key, position: r.position, ...(r.doc !== null ? { doc: JSON.parse(r.doc) as D } : {}) });

  return {
    model,
    writeSync,
    write(entries) {
      db.transaction(() => writeSync(entries))();
      return Promise.resolve();
    },
    load(keys) {
      const out = new Map<string, StoredEntry<D>>();
      for (const key of new Set(keys)) {
        const row = selectOne.get(key);
        if (row) out.set(key, toEntry(row));
      }
      return Promise.resolve(out);
    },
    get(key) {
      const row = selectOne.get(key);
      return Promise.resolve(row?.doc ? (JSON.parse(row.doc) as D) : undefined);
    },
    list(q: ListQuery): Promise<ListPage<D>> {
      try {
        return Promise.resolve(listSync(q));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };

  function listSync(q: ListQuery): ListPage<D> {
      checkListQuery(model, q);
      const size = Math.max(1, Math.min(1000, Math.trunc(q.size)));
      const where = ['doc IS NOT NULL', `${ownerCol(q.by)} = ?`];
      const args: Array<string | number> = [q.value];
      for (const [f, values] of Object.entries(q.filter ?? {})) {
        if (values.length === 0) {
          where.push('0');
          continue;
        }
        where.push(`${filterCol(f)} IN (${values.map(() => '?').join(', ')})`);
        args.push(...values);
      }
      if (q.cursor !== undefined) {
        const c = decodeListCursor(q.cursor);
        where.push('(sort_ms < ? OR (sort_ms = ? AND key < ?))');
        args.push(c.sortMs, c.sortMs, c.key);
      }
      const rows = db
        .prepare<Array<string | number>, Row>(`SELECT key, position, sort_ms, doc FROM ${table} WHERE ${where.join(' AND ')} ORDER BY sort_ms DESC, key DESC LIMIT ?`)
        .all(...args, size + 1);
      const page = rows.slice(0, size);
      const last = page.at(-1);
      return {
        items: page.map((r) => JSON.parse(r.doc ?? 'null') as D),
        ...(rows.length > size && last ? { nextCursor: encodeListCursor(last.sort_ms ?? 0, last.key) } : {}),
      };
  }
}

export interface EmbeddedListStores extends ListSink {
  readonly kind: 'embedded';
  /** Active saved searches saved before `before`, by key after `afterKey`: the archive job's candidates. */
  activeSavedSearchesSavedBefore(before: Date, size: number, afterKey?: string): Promise<SavedSearchDocument[]>;
  /** Every active saved search, by key after `afterKey`, `size` at a time: what an in-process percolator loads. */
  activeSavedSearches(size: number, afterKey?: string): SavedSearchDocument[];
  /**
   * Active saved searches whose query matches the job document, by key, as
   * the embedded search decides (with `alertsOnly`, default true, only those
   * whose alerts are not off). The in-process percolator is loaded on the
   * first call and kept current by every write after it.
   */
  percolateJob(job: JobDocument, options?: { alertsOnly?: boolean; size?: number }): Promise<SavedSearchDocument[]>;
  /**
   * Loads the percolator now, a page at a time between other work (the
   * serving process, at start: loaded on the first new job instead, it held
   * that write and every request behind it for over half a second at 25,000
   * saved searches). A percolation meanwhile waits for the load to end.
   */
  warmPercolator(): Promise<void>;
}

/** Saved searches the percolator's warm-up files between two turns of the event loop (about 6 ms of work). */
const WARM_PAGE = 256;

/** Opens (creating when missing) the list stores in one SQLite file; ':memory:' for tests. */
export function openEmbeddedListStores(path: string): EmbeddedListStores {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL)');
  const applications = sqliteKeyedStore<ApplicationDocument>(db, applicationsModel);
  const savedJobs = sqliteKeyedStore<SavedJobDocument>(db, savedJobsModel);
  const storedSearches = sqliteKeyedStore<SavedSearchDocument>(db, savedSearchesModel);
  /** Kept current by every write from the moment its load starts. */
  let percolator: EmbeddedPercolator | undefined;
  let percolatorLoaded: Promise<EmbeddedPercolator> | undefined;
  let closed = false;
  const selectDoc = db.prepare<[string], string | null>('SELECT doc FROM saved_searches WHERE key = ?').pluck();
  /** Brings the percolator (once loaded) to what is stored now under these keys: a write may have been refused as not newer. */
  const refreshPercolator = (entries: readonly StoredEntry<SavedSearchDocument>[]): void => {
    if (!percolator || entries.length === 0) return;
    for (const key of new Set(entries.map((e) => e.key))) {
      const doc = selectDoc.get(key);
      if (typeof doc === 'string') percolator.put(JSON.parse(doc) as SavedSearchDocument);
      else percolator.remove(key);
    }
  };
  const selectActive = db.prepare<[string, number], string>(
    `SELECT doc FROM saved_searches WHERE doc IS NOT NULL AND f_status = 'active' AND key > ? ORDER BY key LIMIT ?`,
  );
  const activeSavedSearches = (size: number, afterKey = ''): SavedSearchDocument[] =>
    selectActive.pluck().all(afterKey, Math.max(1, Math.trunc(size))).map((d) => JSON.parse(d) as SavedSearchDocument);
  /** The percolator, loaded once: in one go, or with `pause` between pages of WARM_PAGE searches. A failed load is tried again at the next call. */
  const loadPercolator = (pause?: () => Promise<void>): Promise<EmbeddedPercolator> =>
    (percolatorLoaded ??= (async () => {
      const p = (percolator = new EmbeddedPercolator());
      try {
        await p.fill({ activeSavedSearches }, { ...(pause ? { pageSize: WARM_PAGE, pause } : {}), stop: () => closed });
      } catch (err) {
        percolator = percolatorLoaded = undefined;
        throw err;
      }
      return p;
    })());
  const savedSearches: SyncKeyedStore<SavedSearchDocument> = {
    ...storedSearches,
    writeSync(entries) {
      storedSearches.writeSync(entries);
      refreshPercolator(entries);
    },
    async write(entries) {
      await storedSearches.write(entries);
      refreshPercolator(entries);
    },
  };
  const jobStats = sqliteKeyedStore<JobStatsDocument>(db, jobStatsModel);
  const putCheckpoint = db.prepare('INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position');
  const getCheckpoint = db.prepare<[string], { position: number }>('SELECT position FROM checkpoints WHERE name = ?');
  const commitTx = db.transaction((changes: ListChanges, projection: string, checkpoint: number) => {
    applications.writeSync(changes.applications);
    savedJobs.writeSync(changes.savedJobs);
    storedSearches.writeSync(changes.savedSearches);
    jobStats.writeSync(changes.jobStats ?? []);
    putCheckpoint.run(projection, checkpoint);
  });
  return {
    kind: 'embedded',
    applications,
    savedJobs,
    savedSearches,
    jobStats,
    commit(changes, projection, checkpoint) {
      commitTx(changes, projection, checkpoint);
      refreshPercolator(changes.savedSearches);
      return Promise.resolve();
    },
    checkpoint: (projection) => Promise.resolve(getCheckpoint.get(projection)?.position ?? 0),
    close() {
      closed = true;
      db.close();
      return Promise.resolve();
    },
    activeSavedSearchesSavedBefore(before, size, afterKey = '') {
      // sort_ms is the model's sort field, savedAt.
      const docs = db
        .prepare<[number, string, number], string>(
          `SELECT doc FROM saved_searches WHERE doc IS NOT NULL AND f_status = 'active' AND sort_ms < ? AND key > ? ORDER BY key LIMIT ?`,
        )
        .pluck()
        .all(before.getTime(), afterKey, Math.max(1, Math.trunc(size)));
      return Promise.resolve(docs.map((d) => JSON.parse(d) as SavedSearchDocument));
    },
    async percolateJob(job, { alertsOnly = true, size = 10_000 } = {}) {
      const loaded = await loadPercolator();
      return loaded.percolate(job, { alertsOnly }).slice(0, Math.max(1, Math.trunc(size)));
    },
    async warmPercolator() {
      await loadPercolator(() => new Promise((resolve) => setImmediate(resolve)));
    },
    activeSavedSearches,
  };
}
