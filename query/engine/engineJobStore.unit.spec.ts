// putJobs' handling of bulk item results, with a scripted stand-in for the
// engine's bulk answers (a busy engine cannot be summoned on demand; the
// int suite covers the real engine's answers).
import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { JobWriteError, createEngineJobStore } from './engineJobStore.ts';
import type { BulkItem, BulkLine, BulkResponse, SearchClient } from './searchClient.ts';

const doc = (jobId: string, position: number): JobDocument => ({ jobId, position }) as unknown as JobDocument;

type Answer = (id: string, attempt: number) => Pick<BulkItem, 'status' | 'error'>;

function scripted(answer: Answer): { client: SearchClient; calls: string[][] } {
  const calls: string[][] = [];
  const seen = new Map<string, number>();
  const bulk = async (lines: readonly BulkLine[]): Promise<BulkResponse> => {
    const ids: string[] = [];
    const items: BulkItem[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const action = (lines[i] as { index: { _id: string; version: number; version_type: string } }).index;
      expect(action.version_type).toBe('external');
      expect(action.version).toBe((lines[i + 1] as { position: number }).position);
      const n = seen.get(action._id) ?? 0;
      seen.set(action._id, n + 1);
      ids.push(action._id);
      items.push({ action: 'index', _index: 'jobs_v1', _id: action._id, ...answer(action._id, n) });
    }
    calls.push(ids);
    return { took: 1, errors: items.some((i) => i.error), items };
  };
  return { client: { engine: 'opensearch', bulk } as unknown as SearchClient, calls };
}

const ok = { status: 201 };
const conflict = { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'current version [9] is higher' } };
const busy = { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } };
const poison = { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [location]' } };

describe('putJobs', () => {
  it('treats version conflicts as success', async () => {
    const { client } = scripted((id) => (id === 'b' ? conflict : ok));
    await createEngineJobStore(client).putJobs([doc('a', 1), doc('b', 2)]);
  });

  it('retries items the engine was too busy for, then succeeds', async () => {
    const { client, calls } = scripted((id, n) => (id === 'b' && n < 2 ? busy : ok));
    await createEngineJobStore(client, { retryBackoffMs: 1 }).putJobs([doc('a', 1), doc('b', 2), doc('c', 3)]);
    expect(calls).toEqual([['a', 'b', 'c'], ['b'], ['b']]);
  });

  it('names poison documents and still-busy ones apart', async () => {
    const { client } = scripted((id) => (id === 'p' ? poison : id === 'b' ? busy : ok));
    const err = await createEngineJobStore(client, { retryBackoffMs: 1, transientRetries: 2 })
      .putJobs([doc('a', 1), doc('p', 2), doc('b', 3), doc('x', -1)])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobWriteError);
    const e = err as JobWriteError;
    expect(e.jobIds.sort()).toEqual(['b', 'p', 'x']);
    expect(e.poisonJobIds.sort()).toEqual(['p', 'x']);
    expect(e.failures.find((f) => f.jobId === 'b')).toMatchObject({ status: 429, transient: true });
    expect(e.message).toContain('p (400 mapper_parsing_exception: failed to parse field [location])');
  });

  it('splits large batches into several bulk requests', async () => {
    const { client, calls } = scripted(() => ok);
    await createEngineJobStore(client, { bulkDocs: 2 }).putJobs([doc('a', 1), doc('b', 2), doc('c', 3), doc('d', 4), doc('e', 5)]);
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });
});
