import { STATUS_OPEN } from './columns.ts';
import type { EmbeddedState } from './embeddedState.ts';

/**
 * What an answer depends on besides the request: the content (a generation
 * that changes with every write and differs between stores), and time only
 * where an open job expires — so an answer given at `now` holds until the
 * first expiry after it. (`postedWithinDays` also moves with time: callers
 * that cache must leave it out.)
 */
export function freshness(st: EmbeddedState, now: Date): { generation: number; validUntil: number } {
  const t = now.getTime();
  const memo = st.nextExpiry;
  if (memo && memo.from <= t && t < memo.until) return { generation: st.generation, validUntil: memo.until };
  const { status, expires, size } = st.cols;
  let until = Infinity;
  for (let s = 0; s < size; s++) {
    const e = expires[s]!;
    if (e > t && e < until && status[s] === STATUS_OPEN) until = e;
  }
  st.nextExpiry = { from: t, until };
  return { generation: st.generation, validUntil: until };
}
