// Read-only access to an embedded `jobs` file without loading its in-memory
// indexes (at 1M jobs those are gigabytes): documents and checkpoints straight
// from SQLite, for a reader beside the serving process (the drift check's
// worker thread). WAL mode lets it read while the serving connection writes;
// each statement sees one committed snapshot.

import Database from 'better-sqlite3';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { type StoredRow, fromRow, getCheckpointSql, getDocSql, scanDocsSql } from './jobRows.ts';

export class EmbeddedDocumentReader {
  private readonly scan: Database.Statement<[string, number, number], StoredRow>;
  private readonly doc: Database.Statement<[string], StoredRow>;
  private readonly checkpoint: Database.Statement<[string], number>;
  private readonly rows: Database.Statement<[], number>;

  private constructor(private readonly db: Database.Database) {
    this.scan = db.prepare<[string, number, number], StoredRow>(scanDocsSql).raw();
    this.doc = db.prepare<[string], StoredRow>(getDocSql).raw();
    this.checkpoint = db.prepare<[string], number>(getCheckpointSql).pluck();
    this.rows = db.prepare<[], number>('SELECT COUNT(*) FROM job_documents').pluck();
  }

  /** Opens an existing store file read-only (never creates or migrates one). */
  static open(path: string): EmbeddedDocumentReader {
    return new EmbeddedDocumentReader(new Database(path, { readonly: true, fileMustExist: true }));
  }

  /** As EmbeddedJobStore.scanJobs: up to `limit` documents in job id order after `afterJobId`, position above `abovePosition`. */
  scanJobs(afterJobId: string, limit: number, abovePosition = -1): JobDocument[] {
    return this.scan.all(afterJobId, abovePosition, limit).map(fromRow);
  }

  /** As EmbeddedJobStore.getJob, from the file (no cache). */
  getJob(jobId: string): JobDocument | undefined {
    const row = this.doc.get(jobId);
    return row === undefined ? undefined : fromRow(row);
  }

  getCheckpoint(name: string): number | undefined {
    return this.checkpoint.get(name);
  }

  /** Stored documents (rows; the store's count() counts its in-memory slots, equal once it is reopened). */
  count(): number {
    return this.rows.get() ?? 0;
  }

  close(): void {
    this.db.close();
  }
}
