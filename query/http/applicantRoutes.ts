// The applicants of one job, for the business that owns it: each application
// with what the business needs to decide — the worker's current profile summary,
// the match score of the worker for this job (the reference function, as
// POST /v1/match scores it) and the contact the worker chose to share when
// applying. This is the only read that ever shows a shared contact.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, TimeWindow } from '../../eventstore/events/index.ts';
import type { WorkerProfile } from '../../eventstore/events/index.ts';
import type { ApplicationDocument } from '../../projections/lists/listDocuments.ts';
import type { ListStores } from '../lists/keyedStore.ts';
import { defaultWeights, prepareMatch } from '../match/matchScore.ts';
import type { MatchWeights } from '../match/matchScore.ts';
import { ReadError } from '../model/readError.ts';
import type { JobReadStore } from '../model/readStore.ts';
import { ApplicationStatusView, SharedContactView, listPage, pageOf, paging } from './listRoutes.ts';
import type { MatchRouteOptions } from './matchRoutes.ts';
import { MatchFactorsView } from './matchRoutes.ts';
import type { ReadProgress } from './readProgress.ts';
import { awaitPosition, minPositionOf } from './readSupport.ts';

export interface ApplicantRouteOptions {
  lists: Pick<ListStores, 'applications'>;
  jobs: JobReadStore;
  progress: ReadProgress;
  /** The worker's profile as its own stream has it: the port matching reads use. */
  profileOf: MatchRouteOptions['profileOf'];
  weights?: MatchWeights;
  clock?: () => Date;
  minPositionWaitMs?: number;
}

const WorkerSummary = z
  .object({
    name: z.string(),
    skills: z.array(z.string()),
    experienceYears: z.number(),
    availability: z.array(TimeWindow),
  })
  .describe("the worker's profile as it is now; null when the worker has no profile");

export const ApplicantView = z.object({
  applicationId: z.string(),
  workerId: z.string(),
  status: ApplicationStatusView,
  message: z.string().optional(),
  contact: SharedContactView
    .optional()
    .describe('how the worker chose to be reached about this application; absent when none was shared or the application was withdrawn'),
  submittedAt: z.string(),
  updatedAt: z.string(),
  worker: WorkerSummary.nullable().optional().describe('absent with details=false'),
  match: z
    .object({ score: z.number().describe('0..100'), factors: MatchFactorsView })
    .nullable()
    .optional()
    .describe('the match score of the worker for this job, as POST /v1/match gives it; null without a profile, absent with details=false'),
});
export type ApplicantView = z.infer<typeof ApplicantView>;

const ApplicantsQuery = z
  .object({
    ...paging,
    status: ApplicationStatusView.optional(),
    details: z.enum(['true', 'false']).default('true').describe('false: the applications alone, without profile summary and match score (e.g. to count them)'),
  })
  .strict();

/** Each worker's profile, read once per worker of the page (a page holds at most 100). */
async function profilesOf(profileOf: ApplicantRouteOptions['profileOf'], workerIds: readonly string[]): Promise<Map<string, WorkerProfile>> {
  const unique = [...new Set(workerIds)];
  const found = await Promise.all(unique.map((id) => profileOf(id)));
  const out = new Map<string, WorkerProfile>();
  unique.forEach((id, i) => {
    const profile = found[i];
    if (profile) out.set(id, profile);
  });
  return out;
}

function applicantOf(a: ApplicationDocument): ApplicantView {
  return {
    applicationId: a.applicationId,
    workerId: a.workerId,
    status: a.status,
    ...(a.message !== undefined ? { message: a.message } : {}),
    // A worker who withdrew no longer shares a way to reach them.
    ...(a.contact !== undefined && a.status !== 'withdrawn' ? { contact: a.contact } : {}),
    submittedAt: a.submittedAt,
    updatedAt: a.updatedAt,
  };
}

export const applicantRoutes: FastifyPluginAsync<ApplicantRouteOptions> = async (app, options) => {
  const { lists, jobs, progress, profileOf, clock = () => new Date(), minPositionWaitMs = 2000 } = options;
  const weights = options.weights ?? defaultWeights;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/jobs/:id/applications', {
    config: { roles: ['business'] },
    schema: {
      tags: ['applications'],
      summary: 'Applicants of one of your jobs, newest first, with profile summary, match score and shared contact (the owning business only)',
      params: IdParams,
      querystring: ApplicantsQuery,
      response: { 200: pageOf(ApplicantView) },
    },
  }, async (request) => {
    const p = request.caller();
    const { size, cursor, minPosition, status, details } = request.query;
    await awaitPosition(progress, minPositionOf(request, minPosition), minPositionWaitMs);
    const job = await jobs.getJob(request.params.id);
    if (!job) throw new ReadError('not_found', 'job_not_found', `job ${request.params.id} not found`);
    if (job.businessId !== p.sub) throw new ReadError('forbidden', 'forbidden', 'only the owning business may see the applicants of a job');
    const result = await listPage(lists.applications, {
      by: 'jobId',
      value: job.jobId,
      ...(status !== undefined ? { filter: { status: [status] } } : {}),
      size,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    const page = { ...(result.nextCursor !== undefined ? { nextCursor: result.nextCursor } : {}), position: progress.position() };
    if (details === 'false') return { items: result.items.map(applicantOf), ...page };

    const profiles = await profilesOf(profileOf, result.items.map((a) => a.workerId));
    const now = clock();
    return {
      items: result.items.map((a) => {
        const profile = profiles.get(a.workerId);
        if (!profile) return { ...applicantOf(a), worker: null, match: null };
        const { score, factors } = prepareMatch(profile, weights, now)(job);
        return {
          ...applicantOf(a),
          worker: { name: profile.name, skills: profile.skills, experienceYears: profile.experienceYears, availability: profile.availability },
          match: { score, factors },
        };
      }),
      ...page,
    };
  });
};
