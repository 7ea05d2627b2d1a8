import pg from 'pg';
import type { DirectoryEntry, DirectoryValue } from './directory.ts';
import type { ListedMessage, OutboxMessage } from './notificationMessage.ts';
import type { NotificationStore, OutboxRow } from './notificationStore.ts';
import { addedOutboxColumns, clip, emptyStats, listedCondition, messageOfRow, outboxColumns, rowValuesOf } from './notificationStore.ts';
import { poolTimeouts } from '../../eventstore/postgres/poolOptions.ts';

/** The server-mode outbox: PostgreSQL, shared by every dispatcher (claims skip rows another holds). */
export async function openPostgresNotificationStore(connectionString: string, schema = 'notifications'): Promise<NotificationStore> {
  const pool = new pg.Pool({ connectionString, max: 4, ...poolTimeouts });
  const s = `"${schema.replace(/"/g, '')}"`;
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await pool.query(`
    CREATE TABLE IF NOT EXISTS ${s}.outbox (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, recipient_role TEXT NOT NULL, recipient_id TEXT NOT NULL,
      to_address TEXT, data JSONB NOT NULL, cause_position BIGINT NOT NULL, created_at TEXT NOT NULL,
      status TEXT NOT NULL, attempts INTEGER NOT NULL, enqueued_at BIGINT NOT NULL, next_attempt_at BIGINT,
      last_error TEXT, sent_at BIGINT, channel TEXT, claimed_until BIGINT
    );
    ${addedOutboxColumns.map((c) => `ALTER TABLE ${s}.outbox ADD COLUMN IF NOT EXISTS ${c} TEXT;`).join('\n    ')}
    CREATE INDEX IF NOT EXISTS outbox_webhook_sent ON ${s}.outbox (webhook_id, sent_at);
    CREATE INDEX IF NOT EXISTS outbox_due ON ${s}.outbox (status, next_attempt_at);
    CREATE INDEX IF NOT EXISTS outbox_recipient ON ${s}.outbox (recipient_role, recipient_id, cause_position DESC, id DESC);
    CREATE TABLE IF NOT EXISTS ${s}.directory (key TEXT PRIMARY KEY, position BIGINT NOT NULL, value JSONB NOT NULL);
    CREATE INDEX IF NOT EXISTS directory_key_bytes ON ${s}.directory (key COLLATE "C");
    CREATE TABLE IF NOT EXISTS ${s}.checkpoints (name TEXT PRIMARY KEY, position BIGINT NOT NULL);
  `);
  const cols = outboxColumns.join(', ');
  const inTransaction = async (work: (client: pg.PoolClient) => Promise<void>): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  const insertMessages = async (client: pg.PoolClient, messages: readonly OutboxMessage[]) => {
    const now = Date.now();
    for (const m of messages) {
      await client.query(`INSERT INTO ${s}.outbox (${cols}) VALUES (${outboxColumns.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (id) DO NOTHING`, rowValuesOf(m, now));
    }
  };
  const rows = async (sql: string, values: unknown[]) => (await pool.query<OutboxRow>(sql, values)).rows.map(messageOfRow);
  return {
    async checkpoint(name) {
      const { rows: r } = await pool.query<{ position: string }>(`SELECT position FROM ${s}.checkpoints WHERE name = $1`, [name]);
      return r[0] ? Number(r[0].position) : 0;
    },
    async loadDirectory(keys) {
      const found = new Map<string, DirectoryEntry>();
      if (keys.length === 0) return found;
      const { rows: r } = await pool.query<{ key: string; position: string; value: DirectoryValue }>(`SELECT key, position, value FROM ${s}.directory WHERE key = ANY($1)`, [[...new Set(keys)]]);
      for (const row of r) found.set(row.key, { key: row.key, position: Number(row.position), value: row.value });
      return found;
    },
    commit: ({ entries, messages }, name, position) =>
      inTransaction(async (client) => {
        if (entries.length > 0) {
          await client.query(
            `INSERT INTO ${s}.directory (key, position, value) SELECT * FROM unnest($1::text[], $2::bigint[], $3::jsonb[])
             ON CONFLICT (key) DO UPDATE SET position = EXCLUDED.position, value = EXCLUDED.value WHERE EXCLUDED.position > ${s}.directory.position`,
            [entries.map((e) => e.key), entries.map((e) => e.position), entries.map((e) => JSON.stringify(e.value))],
          );
        }
        await insertMessages(client, messages);
        await client.query(`INSERT INTO ${s}.checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`, [name, position]);
      }),
    async scanDirectory(prefix, limit, afterKey) {
      const { rows: r } = await pool.query<{ key: string; position: string; value: DirectoryValue }>(
        `SELECT key, position, value FROM ${s}.directory WHERE key COLLATE "C" > $1 AND key COLLATE "C" < $2 ORDER BY key COLLATE "C" LIMIT $3`,
        [afterKey !== undefined && afterKey > prefix ? afterKey : prefix, `${prefix}\uffff`, limit],
      );
      return r.map((row) => ({ key: row.key, position: Number(row.position), value: row.value }));
    },
    commitDigests: ({ messages, remove }) =>
      inTransaction(async (client) => {
        await insertMessages(client, messages);
        if (remove.length > 0) await client.query(`DELETE FROM ${s}.directory WHERE key = ANY($1)`, [[...remove]]);
      }),
    claimDue: (now, limit, leaseMs, route = 'mail') =>
      rows(
        `UPDATE ${s}.outbox SET claimed_until = $3 WHERE id IN (
           SELECT id FROM ${s}.outbox WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1) AND webhook_id IS ${route === 'webhook' ? 'NOT NULL' : 'NULL'}
           ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING ${cols}`,
        [now.getTime(), limit, now.getTime() + leaseMs],
      ),
    async webhookLastSentAt(webhookId) {
      const { rows: r } = await pool.query<{ at: string | null }>(`SELECT MAX(sent_at) AS at FROM ${s}.outbox WHERE webhook_id = $1 AND status = 'sent'`, [webhookId]);
      return r[0]?.at != null ? new Date(Number(r[0].at)) : undefined;
    },
    releaseClaims: async () => (await pool.query(`UPDATE ${s}.outbox SET claimed_until = NULL WHERE claimed_until IS NOT NULL`)).rowCount ?? 0,
    async recordSent(ids, at, channel) {
      if (ids.length === 0) return;
      await pool.query(`UPDATE ${s}.outbox SET status = 'sent', sent_at = $2, channel = $3, attempts = attempts + 1, claimed_until = NULL, next_attempt_at = NULL WHERE id = ANY($1)`, [[...ids], at.getTime(), channel]);
    },
    async recordRetry(id, error, retryAt) {
      await pool.query(`UPDATE ${s}.outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, claimed_until = NULL WHERE id = $1`, [id, clip(error), retryAt.getTime()]);
    },
    async recordDead(id, error) {
      await pool.query(`UPDATE ${s}.outbox SET status = 'dead', attempts = attempts + 1, last_error = $2, next_attempt_at = NULL, claimed_until = NULL WHERE id = $1`, [id, clip(error)]);
    },
    async retryDead(now, ids) {
      const t = now.getTime();
      const sql = `UPDATE ${s}.outbox SET status = 'pending', next_attempt_at = $1, enqueued_at = $1, claimed_until = NULL WHERE status = 'dead'`;
      const r = ids ? await pool.query(`${sql} AND id = ANY($2)`, [t, [...ids]]) : await pool.query(sql, [t]);
      return r.rowCount ?? 0;
    },
    get: async (id) => (await rows(`SELECT ${cols} FROM ${s}.outbox WHERE id = $1`, [id]))[0],
    listFor: async (recipient, size, after) =>
      (after
        ? await rows(`SELECT ${cols} FROM ${s}.outbox WHERE recipient_role = $1 AND recipient_id = $2 AND ${listedCondition} AND (cause_position, id) < ($3, $4) ORDER BY cause_position DESC, id DESC LIMIT $5`, [recipient.role, recipient.id, after.causePosition, after.id, size])
        : await rows(`SELECT ${cols} FROM ${s}.outbox WHERE recipient_role = $1 AND recipient_id = $2 AND ${listedCondition} ORDER BY cause_position DESC, id DESC LIMIT $3`, [recipient.role, recipient.id, size])) as ListedMessage[],
    listDead: (limit) => rows(`SELECT ${cols} FROM ${s}.outbox WHERE status = 'dead' ORDER BY cause_position DESC, id DESC LIMIT $1`, [limit]),
    async stats(now) {
      const stats = emptyStats();
      const { rows: counts } = await pool.query<{ status: string; n: string }>(`SELECT status, COUNT(*) AS n FROM ${s}.outbox GROUP BY status`);
      for (const r of counts) if (r.status in stats.byStatus) stats.byStatus[r.status as keyof typeof stats.byStatus] = Number(r.n);
      const t = now.getTime();
      const { rows: p } = await pool.query<{ due: string | null; oldest: string | null }>(`SELECT SUM(CASE WHEN next_attempt_at <= $1 THEN 1 ELSE 0 END) AS due, MIN(enqueued_at) AS oldest FROM ${s}.outbox WHERE status = 'pending'`, [t]);
      stats.due = Number(p[0]?.due ?? 0);
      stats.oldestPendingSeconds = p[0]?.oldest != null ? Math.max(0, (t - Number(p[0].oldest)) / 1000) : 0;
      return stats;
    },
    close: () => pool.end(),
  };
}
