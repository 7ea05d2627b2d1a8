import Database from 'better-sqlite3';
import type { DirectoryEntry, DirectoryValue } from './directory.ts';
import type { NotificationStore, OutboxRow } from './notificationStore.ts';
import type { ListedMessage } from './notificationMessage.ts';
import { addedOutboxColumns, clip, emptyStats, listedCondition, messageOfRow, outboxColumns, rowValuesOf } from './notificationStore.ts';

const schema = `
CREATE TABLE IF NOT EXISTS outbox (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, recipient_role TEXT NOT NULL, recipient_id TEXT NOT NULL,
  to_address TEXT, data TEXT NOT NULL, cause_position INTEGER NOT NULL, created_at TEXT NOT NULL,
  status TEXT NOT NULL, attempts INTEGER NOT NULL, enqueued_at INTEGER NOT NULL, next_attempt_at INTEGER,
  last_error TEXT, sent_at INTEGER, channel TEXT, claimed_until INTEGER,
  webhook_id TEXT, webhook_type TEXT, webhook_url TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_recipient ON outbox (recipient_role, recipient_id, cause_position DESC, id DESC);
CREATE TABLE IF NOT EXISTS directory (key TEXT PRIMARY KEY, position INTEGER NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
`;

/** The embedded outbox: one SQLite file (`DATA_DIR/notifications.db`). */
export function openSqliteNotificationStore(path: string, { synchronous = 'FULL' }: { synchronous?: 'FULL' | 'NORMAL' } = {}): NotificationStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(schema);
  // An outbox from before webhooks: add their columns (SQLite has no ADD COLUMN IF NOT EXISTS).
  const present = new Set(db.prepare<[], { name: string }>('PRAGMA table_info(outbox)').all().map((c) => c.name));
  for (const column of addedOutboxColumns) if (!present.has(column)) db.exec(`ALTER TABLE outbox ADD COLUMN ${column} TEXT`);
  db.exec('CREATE INDEX IF NOT EXISTS outbox_webhook_sent ON outbox (webhook_id, sent_at)');
  const cols = outboxColumns.join(', ');
  const insertMessage = db.prepare(`INSERT INTO outbox (${cols}) VALUES (${outboxColumns.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`);
  const upsertEntry = db.prepare('INSERT INTO directory (key, position, value) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET position = excluded.position, value = excluded.value WHERE excluded.position > directory.position');
  const setCheckpoint = db.prepare('INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position');
  const commit = db.transaction((entries: readonly DirectoryEntry[], rows: unknown[][], name: string, position: number) => {
    for (const e of entries) upsertEntry.run(e.key, e.position, JSON.stringify(e.value));
    for (const r of rows) insertMessage.run(...r);
    setCheckpoint.run(name, position);
  });
  const removeEntry = db.prepare('DELETE FROM directory WHERE key = ?');
  const commitDigests = db.transaction((rows: unknown[][], remove: readonly string[]) => {
    for (const r of rows) insertMessage.run(...r);
    for (const key of remove) removeEntry.run(key);
  });
  // Statements on the projector's and the dispatcher's paths are prepared once (a prepare costs more than the query).
  const selectDue = (route: 'mail' | 'webhook') =>
    db.prepare<[number, number, number], OutboxRow>(`SELECT ${cols} FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) AND webhook_id IS ${route === 'webhook' ? 'NOT NULL' : 'NULL'} ORDER BY next_attempt_at, id LIMIT ?`);
  const due = { mail: selectDue('mail'), webhook: selectDue('webhook') };
  const mark = db.prepare('UPDATE outbox SET claimed_until = ? WHERE id = ?');
  const claim = db.transaction((now: number, limit: number, until: number, route: 'mail' | 'webhook') => {
    const rows = due[route].all(now, now, limit);
    for (const r of rows) mark.run(until, r.id);
    return rows;
  });
  const selectEntry = db.prepare<[string], { key: string; position: number; value: string }>('SELECT key, position, value FROM directory WHERE key = ?');
  const markSent = db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, channel = ?, attempts = attempts + 1, claimed_until = NULL, next_attempt_at = NULL WHERE id = ?");
  // One commit (one sync of the WAL) for a pass's deliveries, not one per message.
  const markAllSent = db.transaction((ids: readonly string[], at: number, channel: string) => {
    for (const id of ids) markSent.run(at, channel, id);
  });
  const selectOne = db.prepare<[string], OutboxRow>(`SELECT ${cols} FROM outbox WHERE id = ?`);
  return {
    checkpoint: (name) => Promise.resolve(db.prepare<[string], { position: number }>('SELECT position FROM checkpoints WHERE name = ?').get(name)?.position ?? 0),
    loadDirectory(keys) {
      const found = new Map<string, DirectoryEntry>();
      for (const key of new Set(keys)) {
        const row = selectEntry.get(key);
        if (row) found.set(key, { key, position: row.position, value: JSON.parse(row.value) as DirectoryValue });
      }
      return Promise.resolve(found);
    },
    commit({ entries, messages }, name, position) {
      const now = Date.now();
      commit(entries, messages.map((m) => rowValuesOf(m, now)), name, position);
      return Promise.resolve();
    },
    scanDirectory(prefix, limit, afterKey) {
      // Keys are ASCII: everything under the prefix sorts before prefix + U+FFFF.
      const rows = db
        .prepare<[string, string, number], { key: string; position: number; value: string }>('SELECT key, position, value FROM directory WHERE key > ? AND key < ? ORDER BY key LIMIT ?')
        .all(afterKey !== undefined && afterKey > prefix ? afterKey : prefix, `${prefix}\uffff`, limit);
      return Promise.resolve(rows.map((r) => ({ key: r.key, position: r.position, value: JSON.parse(r.value) as DirectoryValue })));
    },
    commitDigests({ messages, remove }) {
      const now = Date.now();
      commitDigests(messages.map((m) => rowValuesOf(m, now)), remove);
      return Promise.resolve();
    },
    claimDue: (now, limit, leaseMs, route = 'mail') => Promise.resolve(claim(now.getTime(), limit, now.getTime() + leaseMs, route).map(messageOfRow)),
    webhookLastSentAt(webhookId) {
      const row = db.prepare<[string], { at: number | null }>("SELECT MAX(sent_at) AS at FROM outbox WHERE webhook_id = ? AND status = 'sent'").get(webhookId);
      return Promise.resolve(row?.at != null ? new Date(row.at) : undefined);
    },
    releaseClaims: () => Promise.resolve(db.prepare('UPDATE outbox SET claimed_until = NULL WHERE claimed_until IS NOT NULL').run().changes),
    recordSent(ids, at, channel) {
      markAllSent(ids, at.getTime(), channel);
      return Promise.resolve();
    },
    recordRetry(id, error, retryAt) {
      db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_until = NULL WHERE id = ?').run(clip(error), retryAt.getTime(), id);
      return Promise.resolve();
    },
    recordDead(id, error) {
      db.prepare("UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL, claimed_until = NULL WHERE id = ?").run(clip(error), id);
      return Promise.resolve();
    },
    retryDead(now, ids) {
      const t = now.getTime();
      const sql = "UPDATE outbox SET status = 'pending', next_attempt_at = ?, enqueued_at = ?, claimed_until = NULL WHERE status = 'dead'";
      const changes = ids ? ids.reduce((n, id) => n + db.prepare(`${sql} AND id = ?`).run(t, t, id).changes, 0) : db.prepare(sql).run(t, t).changes;
      return Promise.resolve(changes);
    },
    get: (id) => {
      const row = selectOne.get(id);
      return Promise.resolve(row ? messageOfRow(row) : undefined);
    },
    listFor(recipient, size, after) {
      const rows = after
        ? db
            .prepare<[string, string, number, number, string, number], OutboxRow>(`SELECT ${cols} FROM outbox WHERE recipient_role = ? AND recipient_id = ? AND ${listedCondition} AND (cause_position < ? OR (cause_position = ? AND id < ?)) ORDER BY cause_position DESC, id DESC LIMIT ?`)
            .all(recipient.role, recipient.id, after.causePosition, after.causePosition, after.id, size)
        : db
            .prepare<[string, string, number], OutboxRow>(`SELECT ${cols} FROM outbox WHERE recipient_role = ? AND recipient_id = ? AND ${listedCondition} ORDER BY cause_position DESC, id DESC LIMIT ?`)
            .all(recipient.role, recipient.id, size);
      return Promise.resolve(rows.map(messageOfRow) as ListedMessage[]);
    },
    listDead: (limit) => Promise.resolve(db.prepare<[number], OutboxRow>(`SELECT ${cols} FROM outbox WHERE status = 'dead' ORDER BY cause_position DESC, id DESC LIMIT ?`).all(limit).map(messageOfRow)),
    stats(now) {
      const stats = emptyStats();
      for (const r of db.prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all()) {
        if (r.status in stats.byStatus) stats.byStatus[r.status as keyof typeof stats.byStatus] = r.n;
      }
      const t = now.getTime();
      const pending = db.prepare<[number], { due: number; oldest: number | null }>("SELECT SUM(CASE WHEN next_attempt_at <= ? THEN 1 ELSE 0 END) AS due, MIN(enqueued_at) AS oldest FROM outbox WHERE status = 'pending'").get(t);
      stats.due = pending?.due ?? 0;
      stats.oldestPendingSeconds = pending?.oldest != null ? Math.max(0, (t - pending.oldest) / 1000) : 0;
      return Promise.resolve(stats);
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}
