import { describe } from 'vitest';
import { eventStoreContract } from '../../tests/contracts/eventStoreContract.ts';
import { openEventStoreDbEventStore } from './eventStoreDbEventStore.ts';

const url = process.env.EVENTSTOREDB_URL;
if (!url) console.log('EventStoreDB contract suite NOT run: EVENTSTOREDB_URL is not set');

// Skipped, not faked: there is no EventStoreDB server on this machine and the
// test command does not start one. Set EVENTSTOREDB_URL (e.g.
// esdb://localhost:2113?tls=false) to run the same contract against a real one.
describe.skipIf(!url)('EventStoreDB', () => {
  eventStoreContract('eventstoredb', () => openEventStoreDbEventStore({ connectionString: url! }));
});
