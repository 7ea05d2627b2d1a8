/** The first answer to a POST carrying an Idempotency-Key, replayed on retries. */
export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number;
  body: string;
  createdAt: string;
}

export interface IdempotencyStore {
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Keeps the first record for a key; a later put for the same key is ignored. */
  put(key: string, record: IdempotencyRecord): Promise<void>;
  close(): Promise<void>;
}
