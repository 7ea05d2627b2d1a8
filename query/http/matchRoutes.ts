// Matching reads: recommendations for the worker and match scores for
// given jobs. The worker's profile is folded from the `worker-<id>` stream at
// request time, so a profile change counts at once; jobs come from the read model
// (minPosition waits like every read).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReadError, invalidParam } from '../model/readError.ts';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import { defaultWeights, prepareMatch } from '../match/matchScore.ts';
import type { MatchCandidate, MatchJobFields, MatchResult } from '../match/matchScore.ts';
import type { MatchWeights } from '../match/matchScore.ts';
import { DEFAULT_BUSINESS_CAP, isOpenAt, recommend } from '../match/recommend.ts';
import type { CandidateSource } from '../match/recommend.ts';
import { storeCandidates } from '../match/recommendEmbedded.ts';
import { JobView } from '../model/jobView.ts';
import type { JobReadStore } from '../model/readStore.ts';
import type { ReadProgress } from './readProgress.ts';
import { awaitPosition, minPositionOf } from './readSupport.ts';
import { queryMinPosition, queryNumber } from '../model/queryParams.ts';

export interface MatchRouteOptions {
  /** The worker's profile as its own stream has it (the write side owns it), undefined before the first PUT. */
  profileOf: (workerId: string) => Promise<WorkerProfile | undefined>;
  jobs: JobReadStore;
  progress: ReadProgress;
  /** Where recommendation candidates come from (default: the jobs store's search). */
  candidates?: CandidateSource;
  weights?: MatchWeights;
  /** Default business cap of a recommendations page. */
  defaultCap?: number;
  clock?: () => Date;
  minPositionWaitMs?: number;
}

const Id = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/);

export const MatchFactorsView = z.object({ skills: z.number(), distance: z.number(), pay: z.number(), availability: z.number(), experience: z.number() });
const Details = z.object({
  skillsMatched: z.number(),
  skillsRequired: z.number(),
  distanceKm: z.number().optional(),
  payRatio: z.number().optional(),
  availableDays: z.number().optional(),
  jobDays: z.number().optional(),
  experienceRatio: z.number().optional(),
});

const RecommendationsQuery = z
  .object({
    size: queryNumber(z.number().int().min(1).max(50).default(20)),
    cap: queryNumber(z.number().int().min(1).max(10)).optional(),
    minPosition: queryMinPosition().optional(),
  })
  .strict();

export const RecommendationsView = z.object({
  items: z.array(z.object({ job: JobView, score: z.number(), factors: MatchFactorsView, details: Details, reason: z.string() })),
  position: z.number().int(),
});

const MatchBody = z
  .object({
    jobIds: z.array(Id).min(1).max(500).refine((ids) => new Set(ids).size === ids.length, { message: 'jobIds must be unique' }),
    workerId: Id.optional().describe('operators only: score for this worker'),
  })
  .strict();

const MatchView = z.object({
  results: z.array(z.object({ jobId: z.string(), score: z.number(), factors: MatchFactorsView, details: Details })),
  missing: z.array(z.string()),
  position: z.number().int(),
});

/** A store that scores jobs from its own columns (the embedded store): no document is read or built. */
interface ColumnScoring {
  scoreOpenJobs(jobIds: readonly string[], now: Date, score: (job: MatchJobFields) => MatchResult): Array<MatchResult | undefined>;
}
const scoresColumns = (jobs: object): jobs is ColumnScoring => typeof (jobs as Partial<ColumnScoring>).scoreOpenJobs === 'function';

/** The reference match of each open job by id (undefined: missing or not open), from the store's columns when it has them, else from the documents. */
async function openMatches(jobs: JobReadStore, jobIds: readonly string[], now: Date, score: (job: MatchJobFields) => MatchResult): Promise<Array<MatchResult | undefined>> {
  if (scoresColumns(jobs)) return jobs.scoreOpenJobs(jobIds, now, score);
  const docs: Array<MatchCandidate | undefined> = jobs.getJobs ? await jobs.getJobs(jobIds) : await Promise.all(jobIds.map((id) => jobs.getJob(id)));
  return docs.map((job) => (job && isOpenAt(job, now) ? score(job) : undefined));
}

export const matchRoutes: FastifyPluginAsync<MatchRouteOptions> = async (app, options) => {
  const { jobs, progress, clock = () => new Date(), minPositionWaitMs = 2000 } = options;
  const weights = options.weights ?? defaultWeights;
  const source = options.candidates ?? storeCandidates(jobs);
  const defaultCap = options.defaultCap ?? DEFAULT_BUSINESS_CAP;
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function profileOf(workerId: string): Promise<WorkerProfile> {
    const profile = await options.profileOf(workerId);
    if (!profile) throw new ReadError('unprocessable', 'profile_required', `worker ${workerId} has no profile yet: PUT /v1/me/profile first`);
    return profile;
  }

  r.get('/v1/me/recommendations', {
    config: { roles: ['worker'] },
    schema: {
      tags: ['matching'],
      summary: 'Open jobs that match your profile, best first, at most `cap` per business',
      querystring: RecommendationsQuery,
      response: { 200: RecommendationsView },
    },
  }, async (request) => {
    const p = request.caller();
    await awaitPosition(progress, minPositionOf(request, request.query.minPosition), minPositionWaitMs);
    const worker = await profileOf(p.sub);
    const items = await recommend(source, worker, { size: request.query.size, cap: request.query.cap ?? defaultCap, weights, now: clock() });
    return { items, position: progress.position() };
  });

  r.post('/v1/match', {
    config: { roles: ['worker', 'operator'] },
    schema: {
      tags: ['matching'],
      summary: 'Match scores of a worker (yourself; operators name one) for given jobs',
      querystring: z.object({ minPosition: queryMinPosition().optional() }).strict(),
      body: MatchBody,
      response: { 200: MatchView },
    },
  }, async (request) => {
    const p = request.caller();
    const { jobIds, workerId } = request.body;
    if (workerId !== undefined && p.role !== 'operator') throw new ReadError('forbidden', 'forbidden', 'only operators may score for another worker; workers score for themselves');
    if (p.role === 'operator' && workerId === undefined) {
      throw invalidParam('body.workerId', 'required with an operator token', 'required');
    }
    await awaitPosition(progress, minPositionOf(request, request.query.minPosition), minPositionWaitMs);
    const worker = await profileOf(workerId ?? p.sub);
    const now = clock();
    const matches = await openMatches(jobs, jobIds, now, prepareMatch(worker, weights, now));
    const results: z.infer<typeof MatchView>['results'] = [];
    const missing: string[] = [];
    jobIds.forEach((id, i) => {
      const m = matches[i];
      if (m) results.push({ jobId: id, score: m.score, factors: m.factors, details: m.details });
      else missing.push(id);
    });
    return { results, missing, position: progress.position() };
  });
};
