import { EventEmitter } from 'node:events';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/port.ts';
import type { Projection } from './projection.ts';
import { PoisonEventError } from './projection.ts';

export interface RunnerOptions {
  batchSize?: number;
  /** First retry delay after a transient failure; doubles up to maxRetryMs, with jitter. */
  initialRetryMs?: number;
  maxRetryMs?: number;
  /**
   * A batch is followed by at least this long before the next is read (0:
   * none): the events of that time are applied together, one batch's fixed
   * costs (reads, commit, sync) once for all of them. The first event after
   * a quiet spell is applied at once.
   */
  minBatchIntervalMs?: number;
  onError?: (error: unknown, attempt: number) => void;
  /** Injected for tests. */
  random?: () => number;
}

export interface RunnerStatus {
  name: string;
  state: 'stopped' | 'running' | 'retrying';
  checkpoint: number;
  head: number;
  lagEvents: number;
  /** Age of the oldest event not yet applied, in seconds (0 when caught up). */
  lagSeconds: number;
  deadLetters: number;
  lastError?: string;
}

/**
 * Feeds one projection from the log: catch-up from its stored checkpoint, then
 * live, batch by batch in log order. Transient failures are retried with
 * exponential backoff and jitter until they pass (nothing is skipped); a
 * PoisonEventError dead-letters that one event and the runner goes on.
 */
export class ProjectionRunner {
  private subscription: Subscription | undefined;
  private state: RunnerStatus['state'] = 'stopped';
  private applied = 0;
  private deadLetters = 0;
  private lastError: string | undefined;
  private pendingSince: string | undefined;
  private readonly progress = new EventEmitter();
  private stopped = true;
  private sleeping: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly projection: Projection,
    private readonly options: RunnerOptions = {},
  ) {
    this.progress.setMaxListeners(0);
  }

  get name(): string {
    return this.projection.name;
  }

  get position(): number {
    return this.applied;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.applied = await this.projection.checkpoint();
    this.state = 'running';
    this.subscribe();
  }

  private subscribe(): void {
    const sub = this.store.subscribeToAll({ after: this.applied, batchSize: this.options.batchSize ?? 500 }, (events) => this.paced(events));
    this.subscription = sub;
    sub.done.catch((err: unknown) => {
      // The subscription itself failed (store unreachable): resubscribe from what was applied.
      if (this.stopped) return;
      this.lastError = err instanceof Error ? err.message : String(err);
      this.state = 'retrying';
      void this.sleep(this.options.initialRetryMs ?? 200).then(() => {
        if (!this.stopped) {
          this.state = 'running';
          this.subscribe();
        }
      });
    });
  }

  /** A batch, then the rest of `minBatchIntervalMs` (outside the batch's span). */
  private async paced(events: readonly RecordedEvent[]): Promise<void> {
    const started = performance.now();
    await this.traced(events);
    const pause = (this.options.minBatchIntervalMs ?? 0) - (performance.now() - started);
    if (pause > 0 && !this.stopped) await this.sleep(pause);
  }

  /** One span per batch (a root: a batch belongs to no request), with the engine or SQL calls under it. */
  private traced(events: readonly RecordedEvent[]): Promise<void> {
    // A redelivered batch (nothing new) is no work worth a span.
    if (!events.some((e) => e.position > this.applied)) return this.handle(events);
    const attributes = {
      'projection.name': this.name,
      'projection.events': events.length,
      'projection.from_position': events[0]?.position ?? 0,
      'projection.to_position': events.at(-1)?.position ?? 0,
    };
    return trace.getTracer('jobs-discovery/projections').startActiveSpan(`projection ${this.name} batch`, { root: true, attributes }, async (span) => {
      try {
        await this.handle(events);
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  private async handle(events: readonly RecordedEvent[]): Promise<void> {
    const fresh = events.filter((e) => e.position > this.applied);
    if (fresh.length === 0) return;
    this.pendingSince = fresh[0]?.recordedAt;
    let remaining = fresh;
    for (let attempt = 1; remaining.length > 0 && !this.stopped; attempt++) {
      try {
        await this.projection.apply(remaining);
        remaining = [];
      } catch (err) {
        if (err instanceof PoisonEventError) {
          const at = remaining.findIndex((e) => e.position === err.event.position);
          if (at >= 0) {
            // Apply what precedes the poison event, park it, and go on after it.
            if (at > 0) await this.projection.apply(remaining.slice(0, at));
            await this.projection.deadLetter(err.event, err.reason);
            this.deadLetters++;
            this.markApplied(err.event.position);
            remaining = remaining.slice(at + 1);
            attempt = 0;
            continue;
          }
        }
        this.lastError = err instanceof Error ? err.message : String(err);
        this.state = 'retrying';
        this.options.onError?.(err, attempt);
        trace.getActiveSpan()?.addEvent('retry', { attempt, error: this.lastError });
        await this.sleep(this.backoff(attempt));
        continue;
      }
    }
    if (this.stopped) return;
    this.state = 'running';
    const last = fresh.at(-1);
    if (last) this.markApplied(last.position);
    this.pendingSince = undefined;
  }

  private markApplied(position: number): void {
    this.applied = position;
    this.progress.emit('applied', position);
  }

  private backoff(attempt: number): number {
    const base = this.options.initialRetryMs ?? 100;
    const max = this.options.maxRetryMs ?? 10_000;
    const exp = Math.min(max, base * 2 ** Math.min(attempt - 1, 20));
    return exp / 2 + (this.options.random ?? Math.random)() * (exp / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping = undefined;
        resolve();
      }, ms);
      this.sleeping = { timer, resolve };
    });
  }

  /** Resolves true once everything up to `position` is applied, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.applied >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onApplied = (p: number) => {
        if (p < position) return;
        clearTimeout(timer);
        this.progress.off('applied', onApplied);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.progress.off('applied', onApplied);
        resolve(this.applied >= position);
      }, timeoutMs);
      this.progress.on('applied', onApplied);
    });
  }

  async status(now = new Date()): Promise<RunnerStatus> {
    const head = await this.store.headPosition();
    const lagEvents = Math.max(0, head - this.applied);
    const lagSeconds = lagEvents > 0 && this.pendingSince ? Math.max(0, (now.getTime() - Date.parse(this.pendingSince)) / 1000) : 0;
    return {
      name: this.name,
      state: this.state,
      checkpoint: this.applied,
      head,
      lagEvents,
      lagSeconds,
      deadLetters: this.deadLetters,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.resolve();
    }
    await this.subscription?.stop();
    this.subscription = undefined;
    this.state = 'stopped';
  }
}
