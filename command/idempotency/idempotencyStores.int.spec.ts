import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { idempotencyStoreContract } from '../../tests/contracts/idempotencyStoreContract.ts';
import { openPostgresIdempotencyStore } from './postgresIdempotencyStore.ts';
import { openSqliteIdempotencyStore } from './sqliteIdempotencyStore.ts';

idempotencyStoreContract('sqlite', () => Promise.resolve(openSqliteIdempotencyStore(join(mkdtempSync(join(tmpdir(), 'idem-')), 'commands.db'))));

idempotencyStoreContract('postgres', async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through vitest, whose global setup starts PostgreSQL');
  const schema = `idem_${Math.random().toString(36).slice(2, 10)}`;
  const store = await openPostgresIdempotencyStore(url, schema);
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
