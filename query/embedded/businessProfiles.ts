// The businesses' public profiles in the embedded store: rows of
// business_profiles beside the job documents, written in the same
// transaction as the jobs that carry their names.
import type Database from 'better-sqlite3';
import type { BusinessDocument } from '../../mappings/jobDocument.ts';
import type { EmbeddedState } from './embeddedState.ts';

export interface BusinessStatements {
  get: Database.Statement<[string], string>;
  /** A write is refused unless its position is newer. */
  upsert: Database.Statement<[string, number, string]>;
  jobIdsOf: Database.Statement<[string], string>;
}

export function prepareBusinessStatements(db: Database.Database): BusinessStatements {
  return {
    get: db.prepare<[string], string>('SELECT doc FROM business_profiles WHERE business_id = ?').pluck(),
    upsert: db.prepare<[string, number, string]>(
      `INSERT INTO business_profiles (business_id, position, doc) VALUES (?, ?, ?)
         ON CONFLICT (business_id) DO UPDATE SET position = excluded.position, doc = excluded.doc
         WHERE excluded.position > business_profiles.position`,
    ),
    jobIdsOf: db.prepare<[string], string>('SELECT job_id FROM job_documents WHERE business_id = ?').pluck(),
  };
}

/** Stores each profile newer than the stored one (call inside the writing transaction). */
export function writeBusinesses(stmt: BusinessStatements, docs: readonly BusinessDocument[]): void {
  for (const d of docs) stmt.upsert.run(d.businessId, d.position, JSON.stringify(d));
}

export function readBusinesses(stmt: BusinessStatements, ids: readonly string[]): Map<string, BusinessDocument> {
  const out = new Map<string, BusinessDocument>();
  for (const id of ids) {
    const json = stmt.get.get(id);
    if (json !== undefined) out.set(id, JSON.parse(json) as BusinessDocument);
  }
  return out;
}

/**
 * Every job of a business: from the in-memory columns when the store keeps
 * them (no SQL scan on the serving thread), else from the rows. A slot a
 * drift repair deleted belongs to no business.
 */
export function jobIdsOfBusiness(st: EmbeddedState, stmt: BusinessStatements, businessId: string): string[] {
  if (st.writeOnly) return stmt.jobIdsOf.all(businessId);
  const cols = st.cols;
  const bid = cols.businesses.get(businessId);
  if (bid === undefined) return [];
  const out: string[] = [];
  for (let s = 0; s < cols.size; s++) if (cols.business[s] === bid) out.push(cols.jobIds[s]!);
  return out;
}
