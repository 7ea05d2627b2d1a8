// What proves that persisted segments describe exactly the rows: the file's
// identity (a random id made once per file, so segments left beside a file
// that was replaced never match it) and a counter in store_meta that every
// write transaction of documents or term ids bumps. A process knows the
// counter its memory reflects; when another connection wrote in between, its
// memory misses that write and it must never save segments again.

import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

export class WriteStamp {
  readonly storeId: string;
  /** The counter the in-memory structures reflect; NaN once another connection's write was seen (they miss it). */
  writes = NaN;
  /** The counter of the segments file beside the store as this process last loaded or wrote it (NaN: none known). */
  persisted = NaN;
  private readonly getMeta: Database.Statement<[string], string>;
  private readonly setMeta: Database.Statement<[string, string]>;

  constructor(db: Database.Database) {
    this.getMeta = db.prepare<[string], string>('SELECT value FROM store_meta WHERE key = ?').pluck();
    this.setMeta = db.prepare<[string, string]>('INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)');
    // Written once per file; INSERT OR IGNORE: two processes creating the file at once agree on one id.
    if (this.getMeta.get('store_id') === undefined) db.prepare("INSERT OR IGNORE INTO store_meta (key, value) VALUES ('store_id', ?)").run(randomUUID());
    this.storeId = this.getMeta.get('store_id') ?? '';
  }

  /** The counter as stored now. */
  stored(): number {
    return Number(this.getMeta.get('writes') ?? 0);
  }

  /** Marks what the structures about to be loaded reflect (call in the read that loads them). */
  loaded(): number {
    this.writes = this.stored();
    return this.writes;
  }

  /** Counts a write; call inside its transaction. */
  bump(): void {
    const before = this.stored();
    this.writes = before === this.writes ? before + 1 : NaN;
    this.setMeta.run('writes', String(before + 1));
  }
}
