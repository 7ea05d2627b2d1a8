/**
 * How far the read models have applied the log. In embedded mode the
 * projector runs in-process and signals every batch; a stateless query node
 * polls the checkpoints the projector role stores.
 */
export interface ReadProgress {
  /** The position every read model has applied (the slowest one). */
  position(): number;
  /** Resolves true once `position` is applied, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
}
