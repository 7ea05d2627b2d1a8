// The job_documents rows and their statements: the fields the indexes need in
// plain columns (read at open without parsing any JSON), the description once,
// and the rest of the document as JSON, parsed only for hits and getJob.

import type Database from 'better-sqlite3';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { IndexedDoc } from './columns.ts';
import { decodeTermIds } from './termBlob.ts';

/** A stored document as hits and getJob read it. */
export type StoredRow = [description: string, doc: string];

export const indexColumns = [
  'job_id', 'position', 'business_id', 'title', 'description', 'skills', 'category', 'employment_type', 'hourly_min',
  'hourly_max', 'lat', 'lon', 'remote', 'start_date', 'end_date', 'status', 'published_at', 'expires_at', 'experience_years',
  'city',
] as const;
type IndexRow = [
  jobId: string, position: number, businessId: string, title: string, description: string, skills: string,
  category: string, employmentType: string, hourlyMin: number, hourlyMax: number, lat: number | null, lon: number | null,
  remote: number, startDate: string | null, endDate: string | null, status: string, publishedAt: string | null, expiresAt: string | null,
  experienceYears: number, city: string | null,
];
export type LoadRow = [...IndexRow, terms: Buffer | null];
export type UpsertRow = [...IndexRow, terms: Buffer, doc: string];

export interface JobStatements {
  getDoc: Database.Statement<[string], StoredRow>;
  upsert: Database.Statement<UpsertRow>;
  getIndexed: Database.Statement<[string], LoadRow>;
  insertTerm: Database.Statement<[number, string]>;
  getCheckpoint: Database.Statement<[string], number>;
  setCheckpoint: Database.Statement<[string, number, string]>;
}

/** The insert-or-update of a whole row; `where` limits which stored rows it may overwrite. */
export function upsertSql(where: string): string {
  return `INSERT INTO job_documents (${indexColumns.join(', ')}, terms, doc) VALUES (${indexColumns.map(() => '?').join(', ')}, ?, ?)
         ON CONFLICT (job_id) DO UPDATE SET ${[...indexColumns.slice(1), 'terms', 'doc'].map((c) => `${c} = excluded.${c}`).join(', ')}${where}`;
}

/** One stored document by id, as a StoredRow. */
export const getDocSql = 'SELECT description, doc FROM job_documents WHERE job_id = ?';
/** A page of stored documents by job id after one (job_id > ?, position > ?, LIMIT ?), as StoredRows: the drift check's scan. */
export const scanDocsSql = 'SELECT description, doc FROM job_documents WHERE job_id > ? AND position > ? ORDER BY job_id LIMIT ?';
/** A projection checkpoint (or the drift marker) by name. */
export const getCheckpointSql = 'SELECT position FROM projection_checkpoints WHERE name = ?';

export function prepareJobStatements(db: Database.Database): JobStatements {
  return {
    getDoc: db.prepare<[string], StoredRow>(getDocSql).raw(),
    // A write is refused unless its position is newer.
    upsert: db.prepare<UpsertRow>(upsertSql(`
         WHERE excluded.position > job_documents.position`)),
    getIndexed: db.prepare<[string], LoadRow>(`SELECT ${indexColumns.join(', ')}, terms FROM job_documents WHERE job_id = ?`).raw(),
    insertTerm: db.prepare<[number, string]>('INSERT OR REPLACE INTO text_terms (id, term) VALUES (?, ?)'),
    getCheckpoint: db.prepare<[string], number>(getCheckpointSql).pluck(),
    setCheckpoint: db.prepare<[string, number, string]>(
      `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    ),
  };
}

export function toUpsertRow(d: JobDocument, terms: Buffer): UpsertRow {
  const { description, ...rest } = d;
  return [
    d.jobId, d.position, d.businessId, d.title, description, JSON.stringify(d.skills), d.category, d.employmentType,
    d.hourlyMin, d.hourlyMax, d.location?.lat ?? null, d.location?.lon ?? null, d.remote ? 1 : 0, d.startDate ?? null,
    d.endDate ?? null, d.status, d.publishedAt ?? null, d.expiresAt ?? null, d.experienceYears, d.city ?? null, terms, JSON.stringify(rest),
  ];
}

export function fromIndexRow(r: IndexRow | LoadRow): IndexedDoc {
  const [jobId, position, businessId, title, description, skills, category, employmentType, hourlyMin, hourlyMax, lat, lon, remote, startDate, endDate, status, publishedAt, expiresAt, experienceYears, city] = r;
  return {
    jobId,
    position,
    businessId,
    title,
    description,
    skills: JSON.parse(skills) as string[],
    category: category as IndexedDoc['category'],
    employmentType: employmentType as IndexedDoc['employmentType'],
    hourlyMin,
    hourlyMax,
    ...(lat !== null && lon !== null ? { location: { lat, lon } } : {}),
    remote: remote === 1,
    ...(startDate !== null ? { startDate } : {}),
    ...(endDate !== null ? { endDate } : {}),
    status: status as IndexedDoc['status'],
    ...(publishedAt !== null ? { publishedAt } : {}),
    ...(expiresAt !== null ? { expiresAt } : {}),
    experienceYears,
    ...(city !== null ? { city } : {}),
  };
}

export function fromRow([description, json]: StoredRow): JobDocument {
  const doc = JSON.parse(json) as JobDocument;
  doc.description = description;
  return doc;
}

/** A stored document's indexed fields and term ids (undefined ids: none stored, or unreadable). */
export interface OldRow {
  doc: IndexedDoc;
  ids: ArrayLike<number>[] | undefined;
}

/** The row about to be replaced, so the in-memory structures can take it out. */
export function readOldRow(stmt: JobStatements, jobId: string): OldRow | undefined {
  const row = stmt.getIndexed.get(jobId);
  const blob = row?.[indexColumns.length];
  return row === undefined ? undefined : { doc: fromIndexRow(row), ids: blob ? decodeTermIds(blob) : undefined };
}
