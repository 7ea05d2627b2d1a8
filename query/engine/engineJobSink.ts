import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { JobDocumentSink } from '../../projections/jobs/jobsProjection.ts';
import { JOBS_PROJECTION } from '../../projections/jobs/jobsProjection.ts';
import type { SearchClient } from './searchClient.ts';
import type { EngineJobStore } from './engineJobStore.ts';
import { JobWriteError } from './engineJobStore.ts';

/** Index holding one checkpoint document per projection. */
export const checkpointIndex = (prefix = '') => `${prefix}projection_checkpoints`;

interface MgetResponse {
  docs: Array<{ _id: string; found: boolean; _source?: JobDocument }>;
}

/**
 * The engine cannot commit documents and checkpoint together, so documents go
 * first (each versioned by its position: a replay cannot regress one) and the
 * checkpoint after; a crash between the two replays the batch harmlessly.
 */
export function engineJobSink(client: SearchClient, store: EngineJobStore, options: { prefix?: string; projection?: string } = {}): JobDocumentSink {
  const index = checkpointIndex(options.prefix);
  const name = options.projection ?? JOBS_PROJECTION;
  return {
    async getJobs(ids) {
      // _mget is real-time: it sees the previous batch even before a refresh.
      const res = await client.request({ method: 'POST', path: `/${encodeURIComponent(store.alias)}/_mget`, body: { ids } });
      const out = new Map<string, JobDocument>();
      for (const d of (res.body as MgetResponse).docs) if (d.found && d._source) out.set(d._id, d._source);
      return out;
    },
    async commit(docs, checkpoint) {
      // A large batch (catch-up, rebuild) is written without waiting for the
      // periodic refresh and made searchable by one explicit refresh; a small
      // live batch waits for the next refresh instead of forcing a segment per
      // write. Either way the checkpoint follows searchable documents only.
      if (docs.length >= 100) {
        await store.putJobs(docs, { refresh: false });
        await store.refresh();
      } else if (docs.length > 0) {
        await store.putJobs(docs);
      }
      await client.request({ method: 'PUT', path: `/${index}/_doc/${encodeURIComponent(name)}`, body: { name, position: checkpoint, at: new Date().toISOString() } });
    },
    async checkpoint() {
      const doc = await client.get<{ position: number }>(index, name);
      return doc?._source.position ?? 0;
    },
    poisonJobIds: (error) => (error instanceof JobWriteError ? error.poisonJobIds : []),
  };
}
