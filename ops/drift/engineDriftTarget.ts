import type { JsonObject } from '../../mappings/indexDefinition.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { jobsAliasName } from '../../mappings/jobsIndex.ts';
import { JOBS_PROJECTION } from '../../projections/jobs/jobsProjection.ts';
import { checkpointIndex } from '../../query/engine/engineJobSink.ts';
import type { BulkLine, SearchClient } from '../../query/engine/searchClient.ts';
import type { DriftTarget, StoredJob } from './driftTarget.ts';
import { DRIFT_MARKER } from './driftTarget.ts';

const PAGE = 1000;
const BULK = 500;

interface MgetDoc {
  _id: string;
  found: boolean;
  _version?: number;
  _source?: JobDocument;
}

/**
 * The search engine's `jobs` alias as a drift target. Documents are versioned
 * externally by position, so a repair writes with `external_gte`: an equal
 * version may replace a document whose content drifted at the same position,
 * and a document the projector moved on since the check is refused (409) and
 * left alone. A document whose `_version` ran ahead of its position (written
 * with internal versioning behind the projector's back) keeps that version:
 * the engine cannot lower a version, so the repair writes the expected content
 * at max(position, _version); likewise a missing document behind a recent
 * delete's tombstone. Until the log passes such a version the projector's
 * writes to that job are refused as already applied, and the next check
 * repairs the job again.
 */
export function engineDriftTarget(client: SearchClient, options: { prefix?: string; alias?: string } = {}): DriftTarget {
  const prefix = options.prefix ?? '';
  const alias = options.alias ?? jobsAliasName(prefix);
  const checkpoints = checkpointIndex(prefix);

  /** Sends the lines; adds the ids written to `done`, returns those refused as conflicts (409). */
  async function bulk(lines: BulkLine[], ids: string[], done: Set<string>): Promise<string[]> {
    if (lines.length === 0) return [];
    const res = await client.bulk(lines, { refresh: 'wait_for' });
    const failures: string[] = [];
    const conflicts: string[] = [];
    res.items.forEach((item, i) => {
      const id = ids[i] ?? item._id;
      if (item.status >= 200 && item.status < 300) done.add(id);
      else if (item.status === 409) conflicts.push(id);
      else if (!(item.action === 'delete' && item.status === 404)) failures.push(`${id} (${item.status} ${item.error?.type ?? ''}: ${item.error?.reason ?? ''})`);
    });
    if (failures.length > 0) throw new Error(`drift repair: ${failures.length} documents refused: ${failures.slice(0, 10).join('; ')}`);
    return conflicts;
  }

  return {
    kind: 'search-engine',
    async checkpoint() {
      const doc = await client.get<{ position: number }>(checkpoints, JOBS_PROJECTION);
      return doc?._source.position ?? 0;
    },
    count: () => client.count(alias),
    async scan(onPage, opts = {}) {
      let after: unknown[] | undefined;
      const query: JsonObject = opts.abovePosition === undefined ? { match_all: {} } : { range: { position: { gt: opts.abovePosition } } };
      for (;;) {
        const res = await client.search<JobDocument>(alias, {
          query,
          size: PAGE,
          sort: [{ jobId: 'asc' }],
          version: true,
          track_total_hits: false,
          ...(after ? { search_after: after } : {}),
        });
        const hits = res.hits.hits;
        const page: StoredJob[] = [];
        for (const h of hits) if (h._source) page.push({ doc: h._source, ...(h._version !== undefined ? { version: h._version } : {}) });
        if (page.length > 0) await onPage(page);
        const last = hits[hits.length - 1];
        if (hits.length < PAGE || !last?.sort) return;
        after = last.sort;
      }
    },
    async getJobs(ids) {
      const out = new Map<string, StoredJob>();
      for (let i = 0; i < ids.length; i += PAGE) {
        const chunk = ids.slice(i, i + PAGE);
        const res = await client.request({ method: 'POST', path: `/${encodeURIComponent(alias)}/_mget`, body: { ids: chunk } });
        for (const d of (res.body as { docs: MgetDoc[] }).docs) {
          if (d.found && d._source) out.set(d._id, { doc: d._source, ...(d._version !== undefined ? { version: d._version } : {}) });
        }
      }
      return out;
    },
    async repair(puts, deletes) {
      const put = new Set<string>();
      const deleted = new Set<string>();
      for (let i = 0; i < puts.length; i += BULK) {
        const chunk = puts.slice(i, i + BULK);
        const lines: BulkLine[] = [];
        for (const { doc, seen } of chunk) {
          const version = Math.max(doc.position, seen?.version ?? 0);
          lines.push({ index: { _index: alias, _id: doc.jobId, version, version_type: 'external_gte' } }, doc as unknown as BulkLine);
        }
        const conflicts = new Set(await bulk(lines, chunk.map((p) => p.doc.jobId), put));
        // A missing document refused at its position was deleted less than
        // index.gc_deletes ago: the delete's tombstone holds a higher version.
        // `create` (internal versioning) writes it just past the tombstone, and
        // fails if the projector has written the document meanwhile.
        const tombstoned = chunk.filter((p) => p.seen === undefined && conflicts.has(p.doc.jobId));
        await bulk(
          tombstoned.flatMap((p) => [{ create: { _index: alias, _id: p.doc.jobId } }, p.doc as unknown as BulkLine]),
          tombstoned.map((p) => p.doc.jobId),
          put,
        );
      }
      for (let i = 0; i < deletes.length; i += BULK) {
        const chunk = deletes.slice(i, i + BULK);
        // Deleting at the seen version: refused if the document changed since.
        const lines: BulkLine[] = chunk.map(({ seen }) => ({ delete: { _index: alias, _id: seen.doc.jobId, version: seen.version ?? seen.doc.position, version_type: 'external_gte' } }));
        await bulk(lines, chunk.map((d) => d.seen.doc.jobId), deleted);
      }
      return { put, deleted };
    },
    async lastCheckedPosition() {
      const doc = await client.get<{ position: number }>(checkpoints, DRIFT_MARKER);
      return doc?._source.position;
    },
    async setLastCheckedPosition(position) {
      await client.request({ method: 'PUT', path: `/${checkpoints}/_doc/${encodeURIComponent(DRIFT_MARKER)}`, body: { name: DRIFT_MARKER, position, at: new Date().toISOString() } });
    },
  };
}
