import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { JobDocumentSink } from '../../projections/jobs/jobsProjection.ts';
import { JOBS_PROJECTION } from '../../projections/jobs/jobsProjection.ts';
import type { SearchClient } from './searchClient.ts';
import type { EngineJobStore } from './engineJobStore.ts';
import { JobWriteError } from './engineJobStore.ts';

const JOB_ID_PAGE = 5000;

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
    getBusinesses: (ids) => store.businesses.getMany(ids),
    async jobIdsOfBusiness(businessId) {
      // A profile change is rare: one refresh makes every job written so far findable.
      await client.refresh(store.alias);
      const ids: string[] = [];
      let after: string | undefined;
      for (;;) {
        const res = await client.search<Pick<JobDocument, 'jobId'>>(store.alias, {
          query: { bool: { filter: [{ term: { businessId } }] } },
          sort: [{ jobId: { order: 'asc' } }],
          size: JOB_ID_PAGE,
          track_total_hits: false,
          _source: ['jobId'],
          ...(after !== undefined ? { search_after: [after] } : {}),
        });
        const page = res.hits.hits.flatMap((h) => (h._source ? [h._source.jobId] : []));
        ids.push(...page);
        if (page.length < JOB_ID_PAGE) return ids;
        after = page[page.length - 1];
      }
    },
    async commit(docs, checkpoint, businesses, removed) {
      // Profiles first: a crash before the jobs leaves a profile ahead of its jobs, which the replay's renames bring along.
      if (businesses.length > 0) await store.businesses.put(businesses);
      await store.removeJobs(removed);
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
