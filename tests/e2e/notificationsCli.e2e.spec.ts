import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteNotificationStore } from '../../projections/notifications/sqliteNotificationStore.ts';
import { outboxMessage } from '../contracts/notificationStoreContract.ts';
import { runJobsctl } from '../support/jobsctl.ts';

const dir = mkdtempSync(join(tmpdir(), 'jobsctl-notify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const jobsctl = (...args: string[]) => runJobsctl(args, { DATA_DIR: dir, JOBS_MODE: 'embedded', AUTH_SECRET: '' });

describe('jobsctl notifications', () => {
  it('status counts the outbox and exits 1 with dead letters; list-dead shows them; retry queues them again', async () => {
    const store = openSqliteNotificationStore(join(dir, 'notifications.db'));
    await store.commit({ entries: [], messages: [outboxMessage(1), outboxMessage(2), outboxMessage(3, { status: 'unaddressed', to: undefined })] }, 'notifications', 3);
    const [first] = await store.claimDue(new Date(Date.now() + 1000), 1, 60_000);
    await store.recordDead(first!.id, 'SMTP 550: no such user');
    await store.close();

    const status = await jobsctl('notifications', 'status', '--json');
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ byStatus: { pending: 1, dead: 1, unaddressed: 1, sent: 0 } });
    const dead = await jobsctl('notifications', 'list-dead', '--json');
    expect(dead.code).toBe(0);
    expect((JSON.parse(dead.stdout) as { dead: Array<{ id: string; lastError: string }> }).dead).toEqual([expect.objectContaining({ id: first!.id, lastError: 'SMTP 550: no such user' })]);
    const retry = await jobsctl('notifications', 'retry', '--json');
    expect(JSON.parse(retry.stdout)).toEqual({ retried: 1 });
    const after = await jobsctl('notifications', 'status');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('pending 2');
    for (const args of [['notifications', '--help'], ['notifications', 'retry', '--help']]) expect((await jobsctl(...args)).code).toBe(0);
  });
});
