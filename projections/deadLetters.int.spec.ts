import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSchemas, testDatabaseUrl, uniqueSchema } from '../tests/support/postgres.ts';
import { deadLetterStoreContract } from '../tests/contracts/deadLetterStoreContract.ts';
import { openPostgresDeadLetters, openSqliteDeadLetters } from './deadLetters.ts';

deadLetterStoreContract('sqlite', () => Promise.resolve(openSqliteDeadLetters(join(mkdtempSync(join(tmpdir(), 'dead-')), 'projections.db'))));

deadLetterStoreContract('postgres', async () => {
  const url = testDatabaseUrl();
  const schema = uniqueSchema('dead');
  const store = await openPostgresDeadLetters(url, schema);
  return { ...store, close: async () => (await store.close(), await dropSchemas(url, [schema])) };
});
