import pg from 'pg';

/** The test run's PostgreSQL (the vitest global setup starts it). */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through vitest, whose global setup starts PostgreSQL');
  return url;
}

/** A schema name no other test uses. */
export const uniqueSchema = (prefix: string): string => `${prefix}_${Math.random().toString(36).slice(2, 10)}`;

/** Drops the schemas a test created (missing ones are fine). */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s.replace(/"/g, '')}" CASCADE`);
  } finally {
    await client.end();
  }
}
