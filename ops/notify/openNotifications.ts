import { join, resolve } from 'node:path';
import { businessDecider, businessStream } from '../../command/deciders/businessDecider.ts';
import { execute } from '../../command/execute.ts';
import { CommandError } from '../../command/commandError.ts';
import type { UnsubscribeTokens } from '../../command/http/unsubscribeToken.ts';
import type { WebhookUrlPolicy } from '../../command/http/webhookUrlGuard.ts';
import { unsubscribeTokens } from '../../command/http/unsubscribeToken.ts';
import type { EventStore } from '../../eventstore/port.ts';
import type { DeadLetterStore } from '../../projections/deadLetters.ts';
import { openPostgresDeadLetters, openSqliteDeadLetters } from '../../projections/deadLetters.ts';
import type { AlertSource } from '../../projections/notifications/alertSource.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import type { StoredMessage } from '../../projections/notifications/notificationMessage.ts';
import { notificationsProjection } from '../../projections/notifications/notificationsProjection.ts';
import { openPostgresNotificationStore } from '../../projections/notifications/postgresNotificationStore.ts';
import { openSqliteNotificationStore } from '../../projections/notifications/sqliteNotificationStore.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';
import { authSecret } from '../authSecret.ts';
import type { Config } from '../config.ts';
import type { ReadinessCheck } from '../http/buildApp.ts';
import type { LeaderLock } from '../leaderLock.ts';
import { runWhileLeading } from '../leadership.ts';
import type { Dispatcher } from './dispatcher.ts';
import { createDispatcher } from './dispatcher.ts';
import type { MailChannel } from './mailChannel.ts';
import { mailboxChannel, smtpChannel } from './mailChannel.ts';
import { webhookChannel } from './webhookChannel.ts';
import { createWebhookDispatcher } from './webhookDispatcher.ts';
import { webhookSigningKey } from './webhookSigningKey.ts';

/** A message about one saved search unsubscribes from that search, not from the whole kind. */
function searchOf(m: StoredMessage): { search?: string } {
  if (m.data.kind === 'saved_search_digest') return { search: m.data.searchId };
  if (m.data.kind === 'saved_search_alert' && m.data.searches.length === 1 && m.data.searches[0]) return { search: m.data.searches[0].searchId };
  return {};
}

export interface Notifications {
  store: NotificationStore;
  unsubscribe: UnsubscribeTokens;
  /** What the webhook routes need (command/http/webhookRoutes.ts): the key secrets derive from, the address wall's settings. */
  webhooks: { signingKey: string; urlPolicy: WebhookUrlPolicy };
  /** The outbox projector, where this process runs it. */
  runner?: ProjectionRunner;
  dispatcher?: Dispatcher;
  /** Delivers the webhook messages of the same outbox, beside the mail dispatcher. */
  webhookDispatcher?: Dispatcher;
  channel?: MailChannel;
  readiness: ReadinessCheck;
  /** Starts projecting (or standing by for the lease) and delivering. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenNotificationsOptions {
  /** Project and deliver in this process (roles all and projector). */
  run: boolean;
  lock?: LeaderLock;
  /** Where links in messages point, once known (PUBLIC_URL, else the listening address). */
  publicUrl: () => string;
  /** The domain clock (tests move it): decides whether a cause is still news. Delivery and retries keep wall time. */
  clock?: () => Date;
  /** Saved searches matching a job that opened: instant alerts (none without it). */
  alerts?: AlertSource;
  log?: (line: string) => void;
}

/** The outbox, its projector and its delivery, as the configuration describes them. */
export async function openNotifications(config: Config, events: EventStore, { run, lock, publicUrl, clock, alerts, log = () => undefined }: OpenNotificationsOptions): Promise<Notifications> {
  const dataDir = resolve(config.DATA_DIR);
  const server = config.JOBS_MODE === 'server' && config.DATABASE_URL;
  const store = server
    ? await openPostgresNotificationStore(config.DATABASE_URL!, `${config.DATABASE_SCHEMA_PREFIX}_notifications`)
    : openSqliteNotificationStore(join(dataDir, 'notifications.db'), { synchronous: config.SQLITE_SYNCHRONOUS });
  const unsubscribe = unsubscribeTokens(authSecret(config));
  const webhooks = { signingKey: webhookSigningKey(config), urlPolicy: { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE } };
  const readiness: ReadinessCheck = {
    name: 'notifications',
    check: async () => {
      const stats = await store.stats(new Date());
      if (stats.oldestPendingSeconds > config.NOTIFY_MAX_PENDING_AGE_S) throw new Error(`oldest pending message is ${Math.round(stats.oldestPendingSeconds)} s old`);
    },
  };
  if (!run) {
    return { store, unsubscribe, webhooks, readiness, start: () => Promise.resolve(), close: () => store.close() };
  }

  const deadLetters: DeadLetterStore = server
    ? await openPostgresDeadLetters(config.DATABASE_URL!, `${config.DATABASE_SCHEMA_PREFIX}_projections`)
    : openSqliteDeadLetters(join(dataDir, 'projections.db'));
  const channel = config.SMTP_URL ? smtpChannel(config.SMTP_URL) : mailboxChannel(join(dataDir, 'mail'));
  const dispatcher = createDispatcher({
    store,
    channel,
    from: config.MAIL_FROM,
    publicUrl,
    // A service mail (a webhook disabled) has no preference to switch off, so no unsubscribe link.
    unsubscribeUrl: (m) => m.kind === 'webhook_disabled' ? '' : `${publicUrl().replace(/\/$/, '')}/v1/notifications/unsubscribe?token=${unsubscribe.sign({ role: m.recipient.role, sub: m.recipient.id, kind: m.kind, ...searchOf(m) })}`,
    retry: { initialMs: config.NOTIFY_RETRY_INITIAL_MS, maxMs: config.NOTIFY_RETRY_MAX_MS, giveUpAfterMs: config.NOTIFY_GIVE_UP_AFTER_MS },
    log,
  });
  const webhookDispatcher = createWebhookDispatcher({
    store,
    channel: webhookChannel({ policy: webhooks.urlPolicy }),
    signingKey: webhooks.signingKey,
    retry: { initialMs: config.NOTIFY_RETRY_INITIAL_MS, maxMs: config.NOTIFY_RETRY_MAX_MS, giveUpAfterMs: config.NOTIFY_GIVE_UP_AFTER_MS },
    log,
    async disable(businessId, webhookId, reason) {
      const now = new Date();
      await execute({
        store: events, streamId: businessStream(businessId), id: webhookId, decider: businessDecider,
        ctx: { actor: { role: 'system', sub: 'webhook-dispatcher' }, correlationId: `webhook-disabled-${webhookId}`, now },
        command: { type: 'DisableWebhook', businessId, webhookId, reason, now: now.toISOString() },
      }).catch((err: unknown) => {
        // Deleted by its business meanwhile: nothing left to disable.
        if (!(err instanceof CommandError && err.code === 'webhook_not_found')) throw err;
      });
    },
  });
  const runner = new ProjectionRunner(
    events,
    notificationsProjection(store, deadLetters, {
      ...(clock ? { clock } : {}),
      ...(alerts ? { alerts } : {}),
      onMessages: (messages) => {
        if (messages.some((m) => m.webhook)) webhookDispatcher.wake();
        if (messages.some((m) => !m.webhook)) dispatcher.wake();
      },
    }),
    // Alerts need no millisecond: under a stream of jobs, one outbox commit (a sync) per 100 ms rather than per job.
    { batchSize: 1000, minBatchIntervalMs: 100 },
  );
  const stopLeading = new AbortController();
  let leading: Promise<void> | undefined;
  return {
    store,
    unsubscribe,
    webhooks,
    runner,
    dispatcher,
    webhookDispatcher,
    channel,
    readiness,
    async start() {
      // Embedded mode has one dispatcher: claims left by a crashed run are its own, so they end now rather than when their lease lapses.
      if (!server) await store.releaseClaims();
      // Dispatchers may run on every projector node: a claim leases each message to one of them.
      dispatcher.start();
      webhookDispatcher.start();
      if (lock) leading = runWhileLeading(lock, `projector:notifications:${config.DATABASE_SCHEMA_PREFIX}`, runner, stopLeading.signal, { log, label: 'projector notifications' });
      else await runner.start();
    },
    async close() {
      stopLeading.abort();
      await runner.stop();
      await leading;
      await dispatcher.stop();
      await webhookDispatcher.stop();
      await channel.close();
      await deadLetters.close();
      await store.close();
    },
  };
}
