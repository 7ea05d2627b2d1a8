// Worker-thread entry of the serving process's drift check: reads the log
// through its own connection and the live `jobs` file read-only, folds and
// compares here, off the serving event loop, and sends each repair and the
// clean-check marker to the serving thread, which applies them to the store
// it queries (in-memory indexes included). See checkDriftInWorker.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore } from '../../eventstore/openEventStore.ts';
import { EmbeddedDocumentReader } from '../../query/embedded/embeddedDocumentReader.ts';
import { checkDrift } from './checkDrift.ts';
import type { DriftTarget } from './driftTarget.ts';
import type { DriftHostReply, DriftWorkerData, DriftWorkerRequest } from './driftWorkerProtocol.ts';
import { embeddedDriftReads } from './embeddedDriftTarget.ts';
import { lowerThisThreadPriority } from '../support/threadPriority.ts';

// The serving thread goes first when the cores are busy: a check may take a while longer, a query may not.
lowerThisThreadPriority();

/** Repairs per message: a few milliseconds of the serving thread each. */
const REPAIR_SLICE = 200;

const data = workerData as DriftWorkerData;
const port = parentPort!;
const post = (m: DriftWorkerRequest) => port.postMessage(m);

const pending = new Map<number, { resolve: (reply: DriftHostReply) => void; reject: (err: Error) => void }>();
let nextId = 0;
port.on('message', (reply: DriftHostReply) => {
  const waiting = pending.get(reply.id);
  pending.delete(reply.id);
  if (reply.type === 'failed') waiting?.reject(new Error(reply.message));
  else waiting?.resolve(reply);
});
const ask = (request: (id: number) => DriftWorkerRequest): Promise<DriftHostReply> =>
  new Promise((resolve, reject) => {
    const id = ++nextId;
    pending.set(id, { resolve, reject });
    post(request(id));
  });

/** Reads from the worker's own connection; writes go to the serving thread. */
function forwardingTarget(reader: EmbeddedDocumentReader): DriftTarget {
  return {
    kind: 'embedded',
    ...embeddedDriftReads(reader),
    async repair(puts, deletes) {
      // In slices: each is one transaction on the serving thread, with queries in between (a large drift would otherwise be one long stall).
      const done = { put: new Set<string>(), deleted: new Set<string>() };
      for (let i = 0; i < Math.max(puts.length, deletes.length); i += REPAIR_SLICE) {
        const reply = await ask((id) => ({ type: 'repair', id, puts: puts.slice(i, i + REPAIR_SLICE), deletes: deletes.slice(i, i + REPAIR_SLICE) }));
        if (reply.type !== 'repaired') continue;
        for (const jobId of reply.put) done.put.add(jobId);
        for (const jobId of reply.deleted) done.deleted.add(jobId);
      }
      return done;
    },
    async setLastCheckedPosition(position) {
      await ask((id) => ({ type: 'marker', id, position }));
    },
  };
}

async function main(): Promise<void> {
  const reader = EmbeddedDocumentReader.open(data.readPath);
  try {
    const store = await openEventStore(data.eventStore);
    try {
      const report = await checkDrift({ store, target: forwardingTarget(reader) }, { repair: data.repair, mode: data.mode, jobsPerPass: data.jobsPerPass });
      post({ type: 'done', report });
    } finally {
      await store.close();
    }
  } finally {
    reader.close();
  }
}

main().catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message || err.name : String(err) }));
