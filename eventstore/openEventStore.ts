import type { EventStore } from './port.ts';

/** Which event store to open; the mode is configuration, never a code fork. */
export type EventStoreConfig =
  | { kind: 'sqlite'; path: string; synchronous?: 'FULL' | 'NORMAL' }
  | { kind: 'postgres'; connectionString: string; schema?: string; poolSize?: number }
  | { kind: 'eventstoredb'; connectionString: string };

/** Opens the configured adapter; drivers of the other adapters are not loaded. */
export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'sqlite': {
      const { openSqliteEventStore } = await import('./sqlite/sqliteEventStore.ts');
      return openSqliteEventStore(config);
    }
    case 'postgres': {
      const { openPostgresEventStore } = await import('./postgres/postgresEventStore.ts');
      return openPostgresEventStore(config);
    }
    case 'eventstoredb': {
      const { openEventStoreDbEventStore } = await import('./eventstoredb/eventStoreDbEventStore.ts');
      return openEventStoreDbEventStore(config);
    }
  }
}
