import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { deadLetterStoreContract } from '../tests/contracts/deadLetterStoreContract.ts';
import { openPostgresDeadLetters, openSqliteDeadLetters } from './deadLetters.ts';

deadLetterStoreContract('sqlite', () => Promise.resolve(openSqliteDeadLetters(join(mkdtempSync(join(tmpdir(), 'dead-')), 'projections.db'))));

deadLetterStoreContract('postgres', async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through vitest, whose global setup starts PostgreSQL');
  const schema = `dead_${Math.random().toString(36).slice(2, 10)}`;
  const store = await openPostgresDeadLetters(url, schema);
  return {
    ...store,
    async close() {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await client.end();
    },
  };
});
