import { IdParams } from '../../eventstore/events/index.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JobContent, isoInstant } from '../../eventstore/events/index.ts';
import type { Category, EmploymentType } from '../../eventstore/events/index.ts';
import type { JobCommand, JobState } from '../deciders/jobDecider.ts';
import { jobDecider, jobStream } from '../deciders/jobDecider.ts';
import type { Decider } from '../decider.ts';
import { isDomainError } from '../decider.ts';
import type { JobEvent } from '../../eventstore/events/index.ts';
import { execute, foldStream, metadataOf } from '../execute.ts';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { WrongExpectedRevisionError } from '../../eventstore/port.ts';
import { closeExample, jobExample, jobPatchExample, publishExample, reopenExample } from './examples.ts';
import type { CommandRouteOptions } from './routeSupport.ts';
import { CommandReplySchema, IdempotencyHeaders, IfMatchHeaders, contextOf, newId, parseIfMatch } from './routeSupport.ts';
import { invalidField, rejected } from '../commandError.ts';

const CreateJobBody = JobContent.extend({
  publish: z
    .object({ expiresAt: isoInstant })
    .strict()
    .optional()
    .describe('publish at once: the job opens in the same atomic append'),
  suggestPay: z.boolean().optional().describe('also answer `suggestedPay`: hourly pay percentiles of comparable jobs (not stored)'),
}).meta({ examples: [jobExample] });

/** What the pay suggestion of a new job is asked for (the read side answers it, injected). */
export interface PaySuggestionQuery {
  category: Category;
  employmentType: EmploymentType;
  near?: { lat: number; lon: number };
}

const SuggestedPay = z.union([
  z.object({
    hourly: z.object({ p25: z.number(), p50: z.number(), p75: z.number() }),
    sampleSize: z.number().int(),
    currency: z.object({ code: z.string(), excluded: z.number().int(), note: z.string() }),
  }),
  z.object({ insufficientData: z.literal(true), sampleSize: z.number().int() }),
]);
export type SuggestedPay = z.infer<typeof SuggestedPay>;

export interface JobRouteOptions extends CommandRouteOptions {
  /** The compensation suggestion (from the jobs read model); without it `suggestPay` is ignored. */
  compensation?: (query: PaySuggestionQuery) => Promise<SuggestedPay>;
  /**
   * The key of a UTC day (`2027-03-01`) that viewer hashes are made with:
   * every node of a deployment must answer the same (derived from the auth
   * secret, ops/runtime.ts). Default: a random key of this process.
   */
  viewerSalt?: (day: string) => string;
}

/**
 * Who viewed, as a salted hash that is the same all day and unlinkable across
 * days: the token's role and subject, or for an anonymous call the client IP
 * (IPv6 by /64, as the rate limits count) and user agent. The raw IP is never
 * stored: only this hash, inside a stream id.
 */
export function viewerKeyOf(request: Pick<FastifyRequest, 'principal' | 'ip' | 'headers'>, day: string, salt: string): string {
  const p = request.principal;
  const ua = request.headers['user-agent'];
  const who = p ? `sub:${p.role}:${p.sub}` : `ip:${normalizeIP(request.ip)}|ua:${typeof ua === 'string' ? ua.slice(0, 512) : ''}`;
  return createHmac('sha256', salt).update(`${day}|${who}`).digest('base64url').slice(0, 22);
}

/** Draft, then (optionally) publish, decided together so both land in one append. */
const draftThenPublish: Decider<{ draft: JobCommand; publish?: JobCommand }, JobEvent, JobState> = {
  initialState: () => jobDecider.initialState(),
  evolve: (state, event) => jobDecider.evolve(state, event),
  decide({ draft, publish }, state) {
    const drafted = jobDecider.decide(draft, state);
    if (isDomainError(drafted) || !publish) return drafted;
    const published = jobDecider.decide(publish, drafted.reduce((s, e) => jobDecider.evolve(s, e), state));
    return isDomainError(published) ? published : [...drafted, ...published];
  },
};

export const jobRoutes: FastifyPluginAsync<JobRouteOptions> = async (app, { store, clock = () => new Date(), compensation, viewerSalt }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const processSalt = randomBytes(32).toString('base64url');
  const saltOf = viewerSalt ?? ((day: string) => `${processSalt}:${day}`);

  r.post('/v1/jobs', {
    config: { roles: ['business'] },
    schema: {
      tags: ['jobs'],
      summary: 'Draft a job (and publish it at once with `publish.expiresAt`)',
      body: CreateJobBody,
      headers: IdempotencyHeaders,
      response: { 201: CommandReplySchema.extend({ suggestedPay: SuggestedPay.optional() }) },
    },
  }, async (request, reply) => {
    const p = request.caller();
    const jobId = newId(request, p);
    const now = clock();
    const { publish, suggestPay, ...content } = request.body;
    const result = await execute({
      store, streamId: jobStream(jobId), id: jobId, decider: draftThenPublish, ctx: contextOf(request, p, now),
      command: {
        draft: { type: 'DraftJob', jobId, businessId: p.sub, content, now: now.toISOString() },
        ...(publish ? { publish: { type: 'PublishJob', jobId, businessId: p.sub, expiresAt: publish.expiresAt, now: now.toISOString() } } : {}),
      },
    });
    const suggestedPay =
      suggestPay === true && compensation
        ? await compensation({
            category: content.category,
            employmentType: content.employmentType,
            ...(content.location ? { near: content.location.point } : {}),
          })
        : undefined;
    return reply.code(201).send({ id: result.id, revision: result.revision, position: result.position, ...(suggestedPay ? { suggestedPay } : {}) });
  });

  /** A business's command on one of its jobs: the revision it was read at (If-Match) is honoured. */
  async function changeJob(
    request: FastifyRequest,
    jobId: string,
    build: (jobId: string, businessId: string, now: string) => JobCommand,
  ): Promise<{ id: string; revision: number; position: number }> {
    const p = request.caller();
    const now = clock();
    const ifMatch = parseIfMatch(request.headers['if-match']);
    const result = await execute({
      store, streamId: jobStream(jobId), id: jobId, decider: jobDecider, ctx: contextOf(request, p, now),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      command: build(jobId, p.sub, now.toISOString()),
    });
    return { id: result.id, revision: result.revision, position: result.position };
  }

  r.patch('/v1/jobs/:id', {
    config: { roles: ['business'] },
    schema: {
      tags: ['jobs'],
      summary: 'Change a job; send `If-Match: <revision>` to refuse a stale update',
      params: IdParams,
      headers: IfMatchHeaders,
      body: JobContent.partial().meta({ examples: [jobPatchExample] }),
      response: { 200: CommandReplySchema },
    },
  }, async (request) => {
    if (Object.keys(request.body).length === 0) {
      throw invalidField('body', 'at least one field to change', 'too_small');
    }
    return changeJob(request, request.params.id, (jobId, businessId, now) => ({ type: 'UpdateJob', jobId, businessId, changes: request.body, now }));
  });

  const lifecycle = <B extends z.ZodType>(path: string, summary: string, body: B, example: object, build: (jobId: string, businessId: string, body: z.output<B>, now: string) => JobCommand) =>
    r.post(`/v1/jobs/:id/${path}`, {
      config: { roles: ['business'] },
      schema: {
        tags: ['jobs'],
        summary,
        params: IdParams,
        headers: IfMatchHeaders,
        body: body.meta({ examples: [example] }),
        response: { 200: CommandReplySchema },
      },
    }, async (request) => changeJob(request, request.params.id, (jobId, businessId, now) => build(jobId, businessId, request.body as z.output<B>, now)));

  lifecycle('publish', 'Publish a draft; `expiresAt` is required', z.object({ expiresAt: isoInstant.optional() }).strict(), publishExample,
    (jobId, businessId, b, now) => ({ type: 'PublishJob', jobId, businessId, ...(b.expiresAt ? { expiresAt: b.expiresAt } : {}), now }));
  lifecycle('close', 'Close an open job as filled or withdrawn', z.object({ reason: z.enum(['filled', 'withdrawn']) }).strict(), closeExample,
    (jobId, businessId, b, now) => ({ type: 'CloseJob', jobId, businessId, reason: b.reason, now }));
  lifecycle('reopen', 'Reopen a filled or withdrawn job before its expiry', z.object({ expiresAt: isoInstant }).strict(), reopenExample,
    (jobId, businessId, b, now) => ({ type: 'ReopenJob', jobId, businessId, expiresAt: b.expiresAt, now }));

  r.delete('/v1/jobs/:id', {
    config: { roles: ['business'] },
    schema: {
      tags: ['jobs'],
      summary: 'Discard a job that was never published (a draft, or a draft withdrawn); a published job is closed instead (409 `job_published`). A repeat answers as the first did',
      params: IdParams,
      headers: IfMatchHeaders,
      response: { 200: CommandReplySchema },
    },
  }, async (request) => changeJob(request, request.params.id, (jobId, businessId, now) => ({ type: 'DiscardJob', jobId, businessId, now })));

  r.post('/v1/jobs/:id/views', {
    schema: {
      tags: ['jobs'],
      summary: 'Record a view of an open job (anonymous allowed); one per viewer, job and UTC day: a repeat records nothing and answers 202 with the first view\'s reply',
      params: IdParams,
      response: { 202: CommandReplySchema },
    },
  }, async (request, reply) => {
    const now = clock();
    const jobId = request.params.id;
    const viewer = request.principal;
    // Deduplicated per (job, viewer, UTC day) by the event store itself: each
    // such triple is one stream, `jobviews-<job>-<day>-<viewer hash>`, appended
    // with expected revision `no_stream`, so a repeat (or a race of two) is
    // refused by the store on every adapter and every node at once, survives
    // restarts and needs no Redis or seen-set to size and expire. A repeat costs
    // one indexed stream read and writes nothing; views counts in the jobs and
    // job_stats read models are unique viewers per day. (A seen-set would need
    // Redis for nodes to agree and forgets on eviction; the log is the truth
    // anyway.) The streams also stop every view of a job queueing on one stream
    // head, and keep a busy job's views off the job's own revision, so its
    // owner's If-Match updates never turn into conflicts.
    const day = now.toISOString().slice(0, 10);
    const streamId = `jobviews-${jobId}-${day}-${viewerKeyOf(request, day, saltOf(day))}`;
    const firstReply = async () => {
      const [first] = await store.readStream(streamId, { maxCount: 1 });
      return first ? { id: jobId, revision: first.revision, position: first.position } : undefined;
    };
    const seen = await firstReply();
    if (seen) return reply.code(202).send(seen);
    const job = foldStream(jobDecider, await store.readStream(jobStream(jobId)));
    const decided = jobDecider.decide({ type: 'RecordJobView', jobId, ...(viewer ? { viewerId: viewer.sub } : {}), now: now.toISOString() }, job);
    if (isDomainError(decided)) throw rejected(decided);
    const ctx = contextOf(request, viewer, now);
    try {
      const appended = await store.append(streamId, decided.map((e) => ({ ...e, eventId: randomUUID(), metadata: metadataOf(ctx) })), 'no_stream');
      return reply.code(202).send({ id: jobId, revision: appended.revision, position: appended.position });
    } catch (err) {
      // A concurrent first view by the same viewer won: answer as a repeat.
      const won = err instanceof WrongExpectedRevisionError ? await firstReply() : undefined;
      if (won) return reply.code(202).send(won);
      throw err;
    }
  });
};
