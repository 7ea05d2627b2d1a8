import type { Projection } from '../../projections/projection.ts';

/** The projection, counting the events handed to it (a rebuild's `events` figure). */
export function countingProjection(inner: Projection): Projection & { readonly events: number } {
  let events = 0;
  return {
    name: inner.name,
    get events() {
      return events;
    },
    checkpoint: () => inner.checkpoint(),
    deadLetter: (event, error) => inner.deadLetter(event, error),
    async apply(batch) {
      await inner.apply(batch);
      events += batch.length;
    },
  };
}
