// The conformance dataset: the seeded demo generator's catalog events, given
// increasing log positions and projected by the real, pure job-document
// projection. Same seed and `now`, same documents, on every machine and run.
import type { EventMetadata } from '../../eventstore/events/index.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import { generateDataset } from '../../ops/seed/generateDataset.ts';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { applyToJobDocument, jobIdOf } from '../../projections/jobs/applyToJobDocument.ts';

/** Jobs generated (every status: drafts, open, closed), at least 5,000 as the suite promises. */
export const DATASET_JOBS = 6_000;
export const DATASET_SEED = 20_261_128;
/** The dataset's present, and the `now` of most queries. */
export const DATASET_NOW = new Date('2026-06-15T12:00:00.000Z');

export interface ConformanceDataset {
  /** Every job document, ordered by jobId. */
  docs: JobDocument[];
  /** Catalog events read (all streams, jobs and others). */
  events: number;
  /** Last log position given. */
  lastPosition: number;
}

let cached: ConformanceDataset | undefined;

/** Projects the generator's events into job documents, as the projection runner would in log order. */
export function conformanceDataset(): ConformanceDataset {
  if (cached) return cached;
  const byJob = new Map<string, JobDocument>();
  let position = 0;
  let events = 0;
  for (const stream of generateDataset({ jobs: DATASET_JOBS, seed: DATASET_SEED, now: DATASET_NOW })) {
    stream.events.forEach((event, revision) => {
      position++;
      events++;
      const occurredAt = stream.occurredAt[revision] ?? DATASET_NOW.toISOString();
      const metadata: EventMetadata = { actor: { role: 'system', sub: 'conformance' }, correlationId: `c-${position}`, causationId: `c-${position}`, occurredAt };
      const recorded: RecordedEvent = {
        ...event,
        eventId: `e-${position}`,
        streamId: stream.streamId,
        revision,
        position,
        metadata,
        storedVersion: 1,
        recordedAt: occurredAt,
      };
      const jobId = jobIdOf(recorded);
      if (jobId === undefined) return;
      const next = applyToJobDocument(byJob.get(jobId), recorded);
      if (next) byJob.set(jobId, next);
    });
  }
  // A stored document has no undefined-valued keys (the engine's _source would drop them).
  const docs = [...byJob.values()]
    .map((d) => JSON.parse(JSON.stringify(d)) as JobDocument)
    .sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
  cached = { docs, events, lastPosition: position };
  return cached;
}

/** Values drawn from the data so that every filter of the queries selects something. */
export interface DatasetFacts {
  /** Businesses by number of jobs (any status), most first. */
  businesses: string[];
  /** A business with drafts or closed jobs as well as open ones (for includeClosed). */
  ownerBusiness: string;
  /** Skills by number of jobs, most first. */
  skills: string[];
  /** Two skills that occur together in at least a few visible jobs. */
  skillPair: [string, string];
  /** Cities by number of located jobs, most first, each with the mean of its job locations. */
  cities: Array<{ name: string; country: string; lat: number; lon: number; jobs: number }>;
}

export function datasetFacts(docs: readonly JobDocument[]): DatasetFacts {
  const tally = <K>(keys: Iterable<K>): Array<[K, number]> => {
    const m = new Map<K, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || (String(a[0]) < String(b[0]) ? -1 : 1));
  };
  const businesses = tally(docs.map((d) => d.businessId)).map(([k]) => k);
  const ownerBusiness =
    businesses.find((b) => {
      const statuses = new Set(docs.filter((d) => d.businessId === b).map((d) => d.status));
      return statuses.has('draft') && statuses.has('closed') && statuses.has('open');
    }) ?? businesses[0]!;
  const skills = tally(docs.flatMap((d) => d.skills)).map(([k]) => k);
  const open = docs.filter((d) => d.status === 'open');
  const pairs = tally(
    open.flatMap((d) => {
      const s = [...d.skills].sort();
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) for (let j = i + 1; j < s.length; j++) out.push(`${s[i]}\u0000${s[j]}`);
      return out;
    }),
  );
  const pair = (pairs.find(([, n]) => n >= 5 && n <= 60) ?? pairs[0]!)[0].split('\u0000');
  const byCity = new Map<string, { name: string; country: string; lat: number; lon: number; jobs: number }>();
  for (const d of docs) {
    if (!d.location || !d.city || !d.country) continue;
    const key = `${d.city}|${d.country}`;
    const c = byCity.get(key) ?? { name: d.city, country: d.country, lat: 0, lon: 0, jobs: 0 };
    c.lat += d.location.lat;
    c.lon += d.location.lon;
    c.jobs++;
    byCity.set(key, c);
  }
  const cities = [...byCity.values()]
    .map((c) => ({ ...c, lat: c.lat / c.jobs, lon: c.lon / c.jobs }))
    .sort((a, b) => b.jobs - a.jobs || (a.name < b.name ? -1 : 1));
  return { businesses, ownerBusiness, skills, skillPair: [pair[0]!, pair[1]!], cities };
}
