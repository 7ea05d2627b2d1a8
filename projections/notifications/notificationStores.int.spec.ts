import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notificationStoreContract } from '../../tests/contracts/notificationStoreContract.ts';
import { dropSchemas, testDatabaseUrl, uniqueSchema } from '../../tests/support/postgres.ts';
import { openPostgresNotificationStore } from './postgresNotificationStore.ts';
import { openSqliteNotificationStore } from './sqliteNotificationStore.ts';

notificationStoreContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  const store = openSqliteNotificationStore(join(dir, 'notifications.db'));
  return Promise.resolve({ ...store, close: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) });
});

notificationStoreContract('postgres', async () => {
  const url = testDatabaseUrl();
  const schema = uniqueSchema('outbox');
  const store = await openPostgresNotificationStore(url, schema);
  return { ...store, close: async () => (await store.close(), await dropSchemas(url, [schema])) };
});
