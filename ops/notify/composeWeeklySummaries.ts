import type { ApplicationDocument } from '../../projections/lists/listDocuments.ts';
import type { JobStatCounts, JobStatsDocument } from '../../projections/lists/jobStats.ts';
import type { RecipientEntry } from '../../projections/notifications/directory.ts';
import { jobKey } from '../../projections/notifications/directory.ts';
import type { ListedMessage, OutboxMessage, WeeklySummaryData } from '../../projections/notifications/notificationMessage.ts';
import type { NotificationStore } from '../../projections/notifications/notificationStore.ts';
import type { KeyedDocStore } from '../../query/lists/keyedStore.ts';
import { yieldEvery } from '../support/yieldEvery.ts';

export interface WeeklySummarySources {
  store: NotificationStore;
  lists: { applications: KeyedDocStore<ApplicationDocument>; jobStats: KeyedDocStore<JobStatsDocument> };
}

export interface WeeklySummaryRun {
  /** Recipients looked at. */
  items: number;
  messages: number;
}

const DAY_MS = 86_400_000;
const RECIPIENT_PREFIX = 'r|';
/** Applications still in play are reported whatever their age; settled ones only in the week they settled. */
const settled = new Set(['rejected', 'hired', 'withdrawn']);

/** The seven UTC days before `now`'s day: the week a run at `now` reports. */
export function summaryWeek(now: Date): { from: string; to: string; fromMs: number; toMs: number } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const fromMs = today - 7 * DAY_MS;
  return { from: new Date(fromMs).toISOString().slice(0, 10), to: new Date(today - DAY_MS).toISOString().slice(0, 10), fromMs, toMs: today };
}

async function allOf<D extends { position: number }>(store: KeyedDocStore<D>, by: string, value: string, max: number): Promise<D[]> {
  const out: D[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ by, value, size: Math.min(500, max - out.length), ...(cursor !== undefined ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined && out.length < max);
  return out;
}

/** What the outbox told a worker of in the week: each alerted or digested job once, newest first. */
async function matchesOf(store: NotificationStore, workerId: string, fromMs: number, toMs: number): Promise<Array<{ jobId: string; title: string }>> {
  const seen = new Map<string, string>();
  let after: { causePosition: number; id: string } | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const page: ListedMessage[] = await store.listFor({ role: 'worker', id: workerId }, 100, after);
    for (const m of page) {
      const at = Date.parse(m.createdAt);
      if (at < fromMs || at >= toMs) continue;
      if (m.data.kind === 'saved_search_alert') seen.set(m.data.jobId, m.data.jobTitle);
      if (m.data.kind === 'saved_search_digest') m.data.jobs.forEach((j) => seen.set(j.jobId, j.title));
    }
    const last = page.at(-1);
    if (!last || page.length < 100 || Date.parse(last.createdAt) < fromMs) break;
    after = { causePosition: last.causePosition, id: last.id };
  }
  return [...seen].map(([jobId, title]) => ({ jobId, title }));
}

function weekOf(doc: JobStatsDocument, from: string, to: string): JobStatCounts {
  const sum: JobStatCounts = { views: 0, saves: 0, applications: 0 };
  for (const [day, c] of Object.entries(doc.days)) {
    if (day < from || day > to) continue;
    sum.views += c.views;
    sum.saves += c.saves;
    sum.applications += c.applications;
  }
  return sum;
}

/**
 * The weekly run: for every addressed person who has not muted it, one
 * message about the seven UTC days before the run's day, only when there is
 * something to say (a worker: jobs their saved searches found, applications
 * still in play or settled that week; a business: jobs viewed, saved or
 * applied to that week). The id names the week, so a rerun adds nothing.
 */
export async function composeWeeklySummaries(src: WeeklySummarySources, now: Date, { maxRecipients = 200_000, page = 500 } = {}): Promise<WeeklySummaryRun> {
  const week = summaryWeek(now);
  let seen = 0;
  let messages = 0;
  let after: string | undefined;
  // The embedded stores answer synchronously: without a pause a run over every recipient is one stretch of the serving thread.
  const pause = yieldEvery();
  while (seen < maxRecipients) {
    const batch = await src.store.scanDirectory(RECIPIENT_PREFIX, Math.min(page, maxRecipients - seen), after);
    if (batch.length === 0) break;
    const out: OutboxMessage[] = [];
    for (const e of batch) {
      await pause();
      const r = e.value;
      if (r.type !== 'recipient' || r.muted.includes('weekly_summary')) continue;
      const composed = r.role === 'worker' ? await workerWeek(src, r, week) : await businessWeek(src, r, week);
      if (!composed) continue;
      out.push({
        id: `weekly_summary.${week.from}.${r.role}.${r.id}`,
        kind: 'weekly_summary',
        recipient: { role: r.role, id: r.id },
        ...(r.email !== undefined ? { to: r.email } : {}),
        data: composed.data,
        causePosition: composed.position,
        createdAt: now.toISOString(),
        status: r.email === undefined ? 'unaddressed' : 'pending',
      });
    }
    if (out.length > 0) await src.store.commitDigests({ messages: out, remove: [] });
    messages += out.length;
    seen += batch.length;
    after = batch.at(-1)?.key;
  }
  return { items: seen, messages };
}

type Week = ReturnType<typeof summaryWeek>;

/** The jobs' titles as the outbox's directory knows them (the id where it knows none). */
async function jobTitles(store: NotificationStore, jobIds: readonly string[]): Promise<(jobId: string) => string> {
  const titles = await store.loadDirectory(jobIds.map(jobKey));
  return (jobId) => {
    const v = titles.get(jobKey(jobId))?.value;
    return v?.type === 'job' ? v.title : jobId;
  };
}

async function workerWeek(src: WeeklySummarySources, r: RecipientEntry, week: Week): Promise<{ data: WeeklySummaryData; position: number } | undefined> {
  const matches = await matchesOf(src.store, r.id, week.fromMs, week.toMs);
  const apps = (await allOf(src.lists.applications, 'workerId', r.id, 1000)).filter((a) => {
    const updated = Date.parse(a.updatedAt);
    return updated < week.toMs && (!settled.has(a.status) || updated >= week.fromMs);
  });
  if (matches.length === 0 && apps.length === 0) return undefined;
  const titleOf = await jobTitles(src.store, apps.map((a) => a.jobId));
  return {
    data: {
      kind: 'weekly_summary', role: 'worker', from: week.from, to: week.to, newMatches: matches.length, matches: matches.slice(0, 10),
      applications: apps.map((a) => ({ applicationId: a.applicationId, jobId: a.jobId, jobTitle: titleOf(a.jobId), status: a.status })),
    },
    position: Math.max(0, ...apps.map((a) => a.position)),
  };
}

async function businessWeek(src: WeeklySummarySources, r: RecipientEntry, week: Week): Promise<{ data: WeeklySummaryData; position: number } | undefined> {
  const stats = (await allOf(src.lists.jobStats, 'businessId', r.id, 5000))
    .map((doc) => ({ doc, week: weekOf(doc, week.from, week.to) }))
    .filter((s) => s.week.views + s.week.saves + s.week.applications > 0);
  if (stats.length === 0) return undefined;
  const titleOf = await jobTitles(src.store, stats.map((s) => s.doc.jobId));
  stats.sort((a, b) => b.week.applications - a.week.applications || b.week.views - a.week.views || (a.doc.jobId < b.doc.jobId ? -1 : 1));
  return {
    data: { kind: 'weekly_summary', role: 'business', from: week.from, to: week.to, jobs: stats.slice(0, 50).map((s) => ({ jobId: s.doc.jobId, title: titleOf(s.doc.jobId), ...s.week })) },
    position: Math.max(0, ...stats.map((s) => s.doc.position)),
  };
}
