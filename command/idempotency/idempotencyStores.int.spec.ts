import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSchemas, testDatabaseUrl, uniqueSchema } from '../../tests/support/postgres.ts';
import { idempotencyStoreContract } from '../../tests/contracts/idempotencyStoreContract.ts';
import { openPostgresIdempotencyStore } from './postgresIdempotencyStore.ts';
import { openSqliteIdempotencyStore } from './sqliteIdempotencyStore.ts';

idempotencyStoreContract('sqlite', () => Promise.resolve(openSqliteIdempotencyStore(join(mkdtempSync(join(tmpdir(), 'idem-')), 'commands.db'))));

idempotencyStoreContract('postgres', async () => {
  const url = testDatabaseUrl();
  const schema = uniqueSchema('idem');
  const store = await openPostgresIdempotencyStore(url, schema);
  return { ...store, close: async () => (await store.close(), await dropSchemas(url, [schema])) };
});
