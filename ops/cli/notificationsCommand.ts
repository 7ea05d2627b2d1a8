import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openNotifications } from '../notify/openNotifications.ts';
import { openRuntime } from '../runtime.ts';

type Opened = Awaited<ReturnType<typeof openNotifications>>;

async function withOutbox<T>(f: (n: Opened) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const runtime = await openRuntime(config);
  const notifications = await openNotifications(config, runtime.store, { run: false, publicUrl: () => config.PUBLIC_URL ?? '' });
  try {
    return await f(notifications);
  } finally {
    await notifications.close();
    await runtime.close();
  }
}

/** `jobsctl notifications status|list-dead|retry`: the outbox as operators see it (DATA_DIR or DATABASE_URL). */
export function registerNotifications(program: Command): void {
  const group = program.command('notifications').description('the notification outbox: queue, dead letters, retries');
  group
    .command('status')
    .description('messages by status, how many are due, the age of the oldest pending one; exit 1 when any is dead')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) =>
      withOutbox(async ({ store }) => {
        const s = await store.stats(new Date());
        if (opts.json) process.stdout.write(`${JSON.stringify(s)}\n`);
        else {
          process.stdout.write(`${Object.entries(s.byStatus).map(([k, v]) => `${k} ${v}`).join('  ')}\n`);
          process.stdout.write(`due now ${s.due}  oldest pending ${Math.round(s.oldestPendingSeconds)} s\n`);
        }
        if (s.byStatus.dead > 0) process.exitCode = 1;
      }),
    );
  group
    .command('list-dead')
    .description('the latest dead-lettered messages with their last error')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: string; json?: boolean }) =>
      withOutbox(async ({ store }) => {
        const dead = await store.listDead(Math.max(1, Math.min(1000, Number(opts.limit) || 50)));
        if (opts.json) process.stdout.write(`${JSON.stringify({ dead })}\n`);
        else for (const m of dead) process.stdout.write(`${m.id}  ${m.kind}  ${m.recipient.role}:${m.recipient.id}  attempts ${m.attempts}  ${m.lastError ?? ''}\n`);
      }),
    );
  group
    .command('retry')
    .description('put dead messages back in the queue, due at once (all, or the ids given); the running service delivers them')
    .argument('[ids...]', 'message ids (default: every dead message)')
    .option('--json', 'print JSON')
    .action(async (ids: string[], opts: { json?: boolean }) =>
      withOutbox(async ({ store }) => {
        const n = await store.retryDead(new Date(), ids.length > 0 ? ids : undefined);
        process.stdout.write(opts.json ? `${JSON.stringify({ retried: n })}\n` : `${n} message(s) queued again\n`);
      }),
    );
}
