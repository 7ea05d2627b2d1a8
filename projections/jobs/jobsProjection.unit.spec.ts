import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jobExample } from '../../command/http/examples.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../deadLetters.ts';
import { memoryJobSink } from '../../ops/rebuild/memorySinks.ts';
import { jobsProjection } from './jobsProjection.ts';

const { publish: _p, ...content } = jobExample;
let position = 0;
const rec = (e: Pick<RecordedEvent, 'type' | 'data'>, streamId = 'job-j1'): RecordedEvent =>
  ({ ...e, eventId: `e${++position}`, streamId, revision: 0, position, storedVersion: 1, recordedAt: '2027-03-01T00:00:00Z', metadata: { actor: { role: 'system', sub: 't' }, correlationId: 'c', causationId: 'c', occurredAt: `2027-03-01T00:00:${String(position % 60).padStart(2, '0')}Z` } }) as RecordedEvent;

const noDeadLetters: DeadLetterStore = { record: () => Promise.resolve(), list: () => Promise.resolve([]), close: () => Promise.resolve() };
const discarded = (jobId: string) => rec({ type: 'JobDiscarded', data: { jobId, discardedAt: '2027-03-01T00:00:00Z' } }, `job-${jobId}`);
const drafted = (jobId: string, businessId: string) => rec({ type: 'JobDrafted', data: { jobId, businessId, ...content } } as never, `job-${jobId}`);
const profile = (businessId: string, name: string, extra: Record<string, unknown> = {}) =>
  rec({ type: 'BusinessProfileUpdated', data: { businessId, profile: { name, email: `${businessId}@example.com`, ...extra }, updatedAt: '2027-03-01T00:00:00Z' } } as never, `business-${businessId}`);

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
    const sink = memoryJobSink();
    await jobsProjection(sink, noDeadLetters).apply(events);
    expect(sink.docs.get('j1')).toMatchObject({ title: 'Head Barista', status: 'closed', closedReason: 'filled', hourlyMin: 15, hourlyMax: 20, views: 1, saves: 1, position: events.at(-1)!.position });
    expect(await sink.checkpoint()).toBe(events.at(-1)!.position);
  });

  it('is idempotent: replaying any suffix, in any batching, changes nothing', async () => {
    const once = memoryJobSink();
    await jobsProjection(once, noDeadLetters).apply(events);
    const replayed = memoryJobSink();
    const p = jobsProjection(replayed, noDeadLetters);
    await p.apply(events.slice(0, 3));
    await p.apply(events.slice(1, 5));
    await p.apply(events);
    await p.apply(events.slice(2));
    expect(replayed.docs).toEqual(once.docs);
  });
});

describe('discarded drafts in the jobs projection', () => {
  it('removes the document of a discarded draft, stored before or drafted in the same batch, and keeps the others', async () => {
    const sink = memoryJobSink();
    const p = jobsProjection(sink, noDeadLetters);
    await p.apply([drafted('j1', 'b1'), drafted('j2', 'b1')]);
    await p.apply([discarded('j1'), drafted('j3', 'b1'), discarded('j3')]);
    expect([...sink.docs.keys()]).toEqual(['j2']);
    expect(await sink.jobIdsOfBusiness('b1')).toEqual(['j2']);
  });

  it('a replayed discard, or one of a job the store never had, changes nothing', async () => {
    const sink = memoryJobSink();
    const p = jobsProjection(sink, noDeadLetters);
    const batch = [drafted('j1', 'b1'), discarded('j1'), discarded('j9')];
    await p.apply(batch);
    await p.apply(batch);
    expect(sink.docs.size).toBe(0);
  });
});

describe('business profiles in the jobs projection', () => {
  it('a job takes the name its business has when it is drafted; a job of a business without a profile has none', async () => {
    const sink = memoryJobSink();
    await jobsProjection(sink, noDeadLetters).apply([profile('b1', 'Lakeside Cafe'), drafted('j1', 'b1'), drafted('j2', 'b2')]);
    expect(sink.docs.get('j1')?.businessName).toBe('Lakeside Cafe');
    expect(sink.docs.get('j2')).not.toHaveProperty('businessName');
  });

  it('a new name renames every job of the business at the profile event, stored before or in the same batch, and no other', async () => {
    const sink = memoryJobSink();
    const p = jobsProjection(sink, noDeadLetters);
    await p.apply([profile('b1', 'Old'), drafted('j1', 'b1'), drafted('j2', 'b2')]);
    const later = drafted('j3', 'b1');
    const rename = profile('b1', 'New');
    await p.apply([later, rename]);
    expect(sink.docs.get('j1')).toMatchObject({ businessName: 'New', position: rename.position });
    expect(sink.docs.get('j3')).toMatchObject({ businessName: 'New', position: rename.position });
    expect(sink.docs.get('j2')).not.toHaveProperty('businessName');
    expect(sink.businesses.get('b1')).toMatchObject({ name: 'New', position: rename.position });
  });

  it('keeps only the public part of a profile, and only web links', async () => {
    const sink = memoryJobSink();
    const location = { point: { lat: 1, lon: 2 }, city: 'Reno', country: 'US' };
    await jobsProjection(sink, noDeadLetters).apply([
      profile('b1', 'Cafe', { description: 'Coffee', website: 'javascript:alert(1)', logoUrl: 'https://x.example/logo.png', locations: [location], webhookUrl: 'https://hook.example' }),
    ]);
    const doc = sink.businesses.get('b1');
    expect(doc).toMatchObject({ businessId: 'b1', name: 'Cafe', description: 'Coffee', logoUrl: 'https://x.example/logo.png', locations: [location] });
    expect(doc).not.toHaveProperty('website');
    expect(doc).not.toHaveProperty('email');
    expect(doc).not.toHaveProperty('webhookUrl');
  });

  it('a profile change that keeps the name rewrites no job', async () => {
    const sink = memoryJobSink();
    const p = jobsProjection(sink, noDeadLetters);
    await p.apply([profile('b1', 'Cafe'), drafted('j1', 'b1')]);
    const before = sink.docs.get('j1');
    await p.apply([profile('b1', 'Cafe', { description: 'now with a description' })]);
    expect(sink.docs.get('j1')).toBe(before);
  });

  it('any batching of any log of profiles and jobs gives the documents one batch gives', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('profile' as const), business: fc.constantFrom('b1', 'b2'), name: fc.constantFrom('A', 'B', 'C') }),
      fc.record({ kind: fc.constant('draft' as const), business: fc.constantFrom('b1', 'b2'), job: fc.constantFrom('j1', 'j2', 'j3', 'j4') }),
      fc.record({ kind: fc.constant('discard' as const), job: fc.constantFrom('j1', 'j2', 'j3', 'j4') }),
    );
    return fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 10 }), async (steps, cuts) => {
        // A job is drafted once (its stream's first event) and discarded at most once after; other such steps are left out.
        const seen = new Set<string>();
        const gone = new Set<string>();
        const kept = steps.filter((s) => {
          if (s.kind === 'profile') return true;
          if (s.kind === 'draft') return !seen.has(s.job) && seen.add(s.job);
          return seen.has(s.job) && !gone.has(s.job) && gone.add(s.job);
        });
        const log = kept.map((s) => (s.kind === 'profile' ? profile(s.business, s.name) : s.kind === 'draft' ? drafted(s.job, s.business) : discarded(s.job)));
        const whole = memoryJobSink();
        await jobsProjection(whole, noDeadLetters).apply(log);
        const batched = memoryJobSink();
        const p = jobsProjection(batched, noDeadLetters);
        let at = 0;
        for (let i = 0; at < log.length; i++) {
          const size = cuts[i % cuts.length]!;
          await p.apply(log.slice(at, at + size));
          // A crash before the checkpoint: the batch comes again.
          if (i % 3 === 0) await p.apply(log.slice(at, at + size));
          at += size;
        }
        expect(batched.docs).toEqual(whole.docs);
        expect(batched.businesses).toEqual(whole.businesses);
        // Every job carries the last name its business had in the log.
        const lastName = new Map<string, string>();
        for (const s of kept) if (s.kind === 'profile') lastName.set(s.business, s.name);
        for (const doc of whole.docs.values()) expect(doc.businessName).toBe(lastName.get(doc.businessId));
        expect(new Set(whole.docs.keys())).toEqual(new Set([...seen].filter((id) => !gone.has(id))));
      }),
      { numRuns: 200 },
    );
  });
});
