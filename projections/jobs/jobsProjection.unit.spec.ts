import { describe, expect, it } from 'vitest';
import { jobExample } from '../../command/http/examples.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../deadLetters.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import type { JobDocumentSink } from './jobsProjection.ts';
import { jobsProjection } from './jobsProjection.ts';

const { publish: _p, ...content } = jobExample;
let position = 0;
const rec = (e: Pick<RecordedEvent, 'type' | 'data'>, streamId = 'job-j1'): RecordedEvent =>
  ({ ...e, eventId: `e${++position}`, streamId, revision: 0, position, storedVersion: 1, recordedAt: '2027-03-01T00:00:00Z', metadata: { actor: { role: 'system', sub: 't' }, correlationId: 'c', causationId: 'c', occurredAt: `2027-03-01T00:00:${String(position % 60).padStart(2, '0')}Z` } }) as RecordedEvent;

function memorySink(): JobDocumentSink & { docs: Map<string, JobDocument>; cp: number } {
  const sink = {
    docs: new Map<string, JobDocument>(),
    cp: 0,
    getJobs: (ids: readonly string[]) => Promise.resolve(new Map(ids.flatMap((id) => (sink.docs.has(id) ? [[id, structuredClone(sink.docs.get(id)!)] as const] : [])))),
    commit(docs: readonly JobDocument[], checkpoint: number) {
      for (const d of docs) if ((sink.docs.get(d.jobId)?.position ?? 0) < d.position) sink.docs.set(d.jobId, structuredClone(d));
      sink.cp = checkpoint;
      return Promise.resolve();
    },
    checkpoint: () => Promise.resolve(sink.cp),
  };
  return sink;
}
const noDeadLetters: DeadLetterStore = { record: () => Promise.resolve(), list: () => Promise.resolve([]), close: () => Promise.resolve() };

describe('jobs projection', () => {
  const events = [
    rec({ type: 'JobDrafted', data: { jobId: 'j1', businessId: 'b1', ...content, pay: { ...content.pay, unit: 'day', min: 120, max: 160 } } } as never),
    rec({ type: 'JobPublished', data: { jobId: 'j1', publishedAt: '2027-03-01T00:00:00Z', expiresAt: '2027-04-01T00:00:00Z' } }),
    rec({ type: 'JobViewed', data: { jobId: 'j1', viewedAt: '2027-03-01T00:00:00Z' } }, 'jobviews-j1'),
    rec({ type: 'JobSaved', data: { workerId: 'w1', jobId: 'j1', savedAt: '2027-03-01T00:00:00Z' } }, 'worker-w1'),
    rec({ type: 'JobUpdated', data: { jobId: 'j1', changes: { title: 'Head Barista' } } }),
    rec({ type: 'JobClosed', data: { jobId: 'j1', reason: 'filled', closedAt: '2027-03-02T00:00:00Z' } }),
  ];

  it('builds the document with hourly pay, counters and the last position', async () => {
    const sink = memorySink();
    await jobsProjection(sink, noDeadLetters).apply(events);
    expect(sink.docs.get('j1')).toMatchObject({ title: 'Head Barista', status: 'closed', closedReason: 'filled', hourlyMin: 15, hourlyMax: 20, views: 1, saves: 1, position: events.at(-1)!.position });
    expect(sink.cp).toBe(events.at(-1)!.position);
  });

  it('is idempotent: replaying any suffix, in any batching, changes nothing', async () => {
    const once = memorySink();
    await jobsProjection(once, noDeadLetters).apply(events);
    const replayed = memorySink();
    const p = jobsProjection(replayed, noDeadLetters);
    await p.apply(events.slice(0, 3));
    await p.apply(events.slice(1, 5));
    await p.apply(events);
    await p.apply(events.slice(2));
    expect(replayed.docs).toEqual(once.docs);
  });
});
