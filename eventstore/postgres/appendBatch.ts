import type pg from 'pg';
import type { EncodedEvent } from '../encodedEvent.ts';
import type { ExpectedRevision } from '../port.ts';

/** One caller's append waiting for the next group commit. */
export interface PendingAppend {
  streamId: string;
  events: readonly EncodedEvent[];
  expected: ExpectedRevision;
}

/** Per append: its last revision and position, or 'conflict' (nothing of it was written). */
export type AppendOutcome = { revision: number; position: number } | 'conflict';

/**
 * Writes several appends in ONE transaction (group commit): each append's
 * stream row is claimed with its expected-revision check (a failed check
 * changes nothing, so no savepoint is needed), then a single statement takes
 * positions for all successful events from the `log_head` counter, inserts
 * them and queues the NOTIFY, and one COMMIT (one WAL flush) makes them all
 * durable and visible. Appends are claimed in stream order (stable, so two
 * appends to one stream keep their order) so that concurrent batches lock
 * stream rows in the same order and cannot deadlock.
 *
 * The caller owns BEGIN/COMMIT/ROLLBACK; this returns outcomes in input order.
 */
export async function writeAppendBatch(
  client: pg.PoolClient,
  schema: string,
  channel: string,
  appends: readonly PendingAppend[],
): Promise<AppendOutcome[]> {
  const s = schema;
  const order = appends.map((_, i) => i).sort((a, b) => compare(appends[a]!.streamId, appends[b]!.streamId) || a - b);
  const lastRevision: (number | undefined)[] = new Array<number | undefined>(appends.length);
  for (const i of order) {
    const { streamId, events, expected } = appends[i]!;
    const n = events.length;
    let claimed: pg.QueryResult<{ revision: number }>;
    if (expected === 'any') {
      claimed = await client.query(
        `INSERT INTO ${s}.streams (stream_id, revision) VALUES ($1, $2 - 1)
         ON CONFLICT (stream_id) DO UPDATE SET revision = ${s}.streams.revision + $2 RETURNING revision`,
        [streamId, n],
      );
    } else if (expected === 'no_stream') {
      claimed = await client.query(
        `INSERT INTO ${s}.streams (stream_id, revision) VALUES ($1, $2 - 1)
         ON CONFLICT (stream_id) DO NOTHING RETURNING revision`,
        [streamId, n],
      );
    } else {
      claimed = await client.query(
        `UPDATE ${s}.streams SET revision = revision + $2 WHERE stream_id = $1 AND revision = $3 RETURNING revision`,
        [streamId, n, expected],
      );
    }
    lastRevision[i] = claimed.rows[0]?.revision;
  }

  // Lay out the events of the successful appends in claim order.
  const rows = { stream: [] as string[], revision: [] as number[], id: [] as string[], type: [] as string[] };
  const more = { version: [] as number[], data: [] as string[], metadata: [] as string[] };
  const lastIndex: (number | undefined)[] = new Array<number | undefined>(appends.length);
  for (const i of order) {
    const last = lastRevision[i];
    if (last === undefined) continue;
    const { streamId, events } = appends[i]!;
    events.forEach((e, k) => {
      rows.stream.push(streamId);
      rows.revision.push(last - events.length + 1 + k);
      rows.id.push(e.eventId);
      rows.type.push(e.type);
      more.version.push(e.version);
      more.data.push(JSON.stringify(e.data));
      more.metadata.push(JSON.stringify(e.metadata));
    });
    lastIndex[i] = rows.id.length; // 1-based ordinal of this append's last event
  }
  const total = rows.id.length;
  if (total === 0) return appends.map(() => 'conflict');

  // Positions from the single-row counter: held from here to COMMIT (see postgresEventStore.ts).
  const head = await client.query<{ position: string }>(
    `WITH head AS (
       UPDATE ${s}.log_head SET position = position + $1 RETURNING position
     ), inserted AS (
       INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, version, data, metadata)
       SELECT head.position - $1 + x.i, x.s, x.r, x.e, x.t, x.v, x.d::jsonb, x.m::jsonb
       FROM head, unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])
         WITH ORDINALITY AS x(s, r, e, t, v, d, m, i)
       RETURNING 1
     )
     SELECT position, pg_notify($9, position::text) FROM head WHERE (SELECT count(*) FROM inserted) = $1`,
    [total, rows.stream, rows.revision, rows.id, rows.type, more.version, more.data, more.metadata, channel],
  );
  const headPosition = Number(head.rows[0]?.position);
  if (!Number.isSafeInteger(headPosition)) throw new Error('event store append: counter update returned no position');
  return appends.map((_, i) => {
    const last = lastRevision[i];
    const ordinal = lastIndex[i];
    return last === undefined || ordinal === undefined
      ? 'conflict'
      : { revision: last, position: headPosition - total + ordinal };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
