/**
 * The embedded `jobs` read store's SQLite schema, beside the engine's index
 * definition (jobsIndex.ts): the filtered fields as plain columns (read at open
 * without parsing JSON), the analysed text as term ids, the rest as JSON, and
 * the businesses' public profiles (written by the same projection) and the
 * projection checkpoint in the same file so all commit together.
 */
export const embeddedJobsSchema = `
      CREATE TABLE IF NOT EXISTS job_documents (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL UNIQUE,
        position INTEGER NOT NULL,
        business_id TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        skills TEXT NOT NULL,
        category TEXT NOT NULL,
        employment_type TEXT NOT NULL,
        hourly_min REAL NOT NULL,
        hourly_max REAL NOT NULL,
        lat REAL,
        lon REAL,
        remote INTEGER NOT NULL,
        start_date TEXT,
        end_date TEXT,
        status TEXT NOT NULL,
        published_at TEXT,
        expires_at TEXT,
        experience_years REAL NOT NULL DEFAULT 0,
        city TEXT,
        terms BLOB,
        doc TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS text_terms (
        id INTEGER PRIMARY KEY,
        term TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS store_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS business_profiles (
        business_id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        doc TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS projection_checkpoints (
        name TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
`;

/**
 * Columns added to job_documents after stores were first written, in order,
 * each with what brings an older file up to date (the schema above already
 * has them, so only files written before need these).
 */
export const embeddedJobsMigrations: ReadonlyArray<{ column: string; ddl: string }> = [
  { column: 'terms', ddl: 'ALTER TABLE job_documents ADD COLUMN terms BLOB' },
  // Stores written before the match fields became columns: fill it from each document once.
  {
    column: 'experience_years',
    ddl: `ALTER TABLE job_documents ADD COLUMN experience_years REAL NOT NULL DEFAULT 0;
               UPDATE job_documents SET experience_years = coalesce(json_extract(doc, '$.experienceYears'), 0);`,
  },
  // The city facet and filter read it at open.
  { column: 'city', ddl: `ALTER TABLE job_documents ADD COLUMN city TEXT; UPDATE job_documents SET city = json_extract(doc, '$.city');` },
];
