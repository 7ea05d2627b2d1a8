import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EventStore, NewEvent } from '../../eventstore/port.ts';
import type { EventType } from '../../eventstore/events/index.ts';
import type { DatasetOptions, DatasetPlan } from './datasetPlan.ts';
import type { SeedStream, SeedStreamKind } from './seedStream.ts';
import { isCityTableLoaded, loadCities } from './cities.ts';
import { generateDataset } from './generateDataset.ts';

/**
 * Appends the generated demo dataset through the EventStore port: one append
 * per stream with expected revision 'no_stream', a bounded number of appends
 * in flight, and a barrier between businesses, jobs and workers so that no
 * job lands before its business and no saved job before its job.
 */

export interface SeedProgress {
  /** Streams whose append has completed (or that were already there). */
  streams: number;
  totalStreams: number;
  events: number;
  elapsedMs: number;
}

export interface SeedRunOptions {
  onProgress?: (progress: SeedProgress) => void;
  /** Most appends in flight at once (default 64). */
  concurrency?: number;
  /** Report progress every this many streams (default 1000), and once at the end. */
  progressEvery?: number;
  /** Stops launching appends; the seed then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface SeedResult {
  plan: DatasetPlan;
  /** Streams appended by this run. */
  streams: number;
  /** Events appended by this run. */
  events: number;
  /** Streams found already holding exactly the seed's events (a rerun after an interrupted seed). */
  skippedStreams: number;
  /** Events per type of the whole dataset (appended or skipped). */
  byType: Record<EventType, number>;
  openJobs: number;
  elapsedMs: number;
  eventsPerSecond: number;
  /** Time spent loading the city table (0 when an earlier call in this process loaded it). */
  citiesLoadMs: number;
}

export const SEED_ACTOR = { role: 'system', sub: 'seed' } as const;

/**
 * A UUID-shaped (version 5 layout) id derived from the seed, the stream and the
 * event's index in it: the same dataset always carries the same event ids.
 */
export function seedEventId(seed: number, streamId: string, index: number): string {
  const hex = createHash('sha1').update(`seed:${seed}/${streamId}/${index}`).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The events of one generated stream, ready for EventStore.append. */
export function toNewEvents(seed: number, stream: SeedStream): NewEvent[] {
  const correlationId = `seed-${seed}`;
  return stream.events.map((event, index) => {
    const occurredAt = stream.occurredAt[index];
    if (occurredAt === undefined) throw new Error(`${stream.streamId}: no occurredAt for event ${index}`);
    return {
      ...event,
      eventId: seedEventId(seed, stream.streamId, index),
      metadata: { actor: { ...SEED_ACTOR }, correlationId, causationId: correlationId, occurredAt },
    };
  });
}

/**
 * Whether the store already holds events, so a first start should not seed:
 * the demo dataset goes only into an empty log (it never mixes with real data).
 */
export async function isStoreSeeded(store: EventStore): Promise<boolean> {
  return (await store.headPosition()) > 0;
}

function isWrongExpectedRevision(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'wrong_expected_revision';
}

export async function seedEventStore(store: EventStore, options: DatasetOptions, run: SeedRunOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const citiesLoaded = isCityTableLoaded();
  const dataset = generateDataset(options);
  const { plan } = dataset;
  const concurrency = Math.max(1, Math.floor(run.concurrency ?? 64));
  const progressEvery = Math.max(1, Math.floor(run.progressEvery ?? 1000));
  let inFlight = 0;
  let wake: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  let done = 0;
  let appendedStreams = 0;
  let appendedEvents = 0;
  let skippedStreams = 0;
  let doneEvents = 0;

  const report = (): void => {
    run.onProgress?.({ streams: done, totalStreams: plan.streams, events: doneEvents, elapsedMs: performance.now() - started });
  };

  const appendOne = async (stream: SeedStream): Promise<void> => {
    const events = toNewEvents(plan.seed, stream);
    try {
      await store.append(stream.streamId, events, 'no_stream');
      appendedStreams++;
      appendedEvents += events.length;
    } catch (error) {
      if (!isWrongExpectedRevision(error)) throw error;
      // Already there: fine if it is exactly this seed's stream (an earlier, interrupted run).
      const existing = await store.readStream(stream.streamId, { maxCount: events.length + 1 });
      const same = existing.length === events.length && existing.every((e, i) => e.eventId === events[i]?.eventId);
      if (!same) {
        throw new Error(`seed: stream ${stream.streamId} already exists with other events; seed only an empty store`, { cause: error });
      }
      skippedStreams++;
    }
    done++;
    doneEvents += events.length;
    if (done % progressEvery === 0) report();
  };

  // A counter and one wake-up callback: cheaper than Promise.race over the
  // in-flight set on every launch (which attaches a handler to each of them).
  const launch = (stream: SeedStream): void => {
    inFlight++;
    void appendOne(stream)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        inFlight--;
        const resume = wake;
        wake = undefined;
        resume?.();
      });
  };
  const slotFreed = (): Promise<void> =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const drain = async (): Promise<void> => {
    while (inFlight > 0) await slotFreed();
  };

  let kind: SeedStreamKind | undefined;
  try {
    for (const stream of dataset) {
      if (failure || run.signal?.aborted) break;
      if (stream.kind !== kind) {
        // Barrier: every business before any job, every job before any worker.
        await drain();
        kind = stream.kind;
        if (failure) break;
      }
      while (inFlight >= concurrency) await slotFreed();
      launch(stream);
    }
  } finally {
    // Never leave appends running behind the caller's back, whatever happened.
    await drain();
  }
  if (failure) throw failure.error;
  run.signal?.throwIfAborted();
  report();

  const counts = dataset.counts();
  const elapsedMs = performance.now() - started;
  return {
    plan,
    streams: appendedStreams,
    events: appendedEvents,
    skippedStreams,
    byType: counts.byType,
    openJobs: counts.openJobs,
    elapsedMs,
    eventsPerSecond: elapsedMs > 0 ? (appendedEvents * 1000) / elapsedMs : 0,
    citiesLoadMs: citiesLoaded ? 0 : loadCities().loadMs,
  };
}
