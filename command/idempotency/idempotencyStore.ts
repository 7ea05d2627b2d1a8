/** The first answer to a command carrying an Idempotency-Key, replayed on retries. */
export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number;
  body: string;
  createdAt: string;
}

/** What holds a key when a request asks for it. */
export type IdempotencyClaim =
  | { outcome: 'claimed' }
  | { outcome: 'done'; record: IdempotencyRecord }
  | { outcome: 'busy' };

export interface ClaimOptions {
  requestHash: string;
  now: Date;
  /** A claim older than this is taken over: its request died with its process. */
  leaseMs: number;
  /** A finished answer older than this is forgotten: the key may be used afresh. */
  ttlMs: number;
}

export interface IdempotencyStore {
  /**
   * Atomically takes a key for one request (across every process sharing the
   * store), or says what holds it: the first request's finished answer, or
   * that request still running.
   */
  claim(key: string, options: ClaimOptions): Promise<IdempotencyClaim>;
  /** Records the answer of the request that holds the claim. */
  complete(key: string, record: IdempotencyRecord): Promise<void>;
  /** Drops an unfinished claim (the request failed, so a retry may run again). */
  release(key: string): Promise<void>;
  /** Forgets answers and claims made before `before`; returns how many. */
  purge(before: Date): Promise<number>;
  close(): Promise<void>;
}
