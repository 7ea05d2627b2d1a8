import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryNumber } from '../../query/model/queryParams.ts';
import { HttpError } from '../http/httpError.ts';
import type { Scheduler } from './scheduler.ts';
import { JobRunningError, UnknownJobError } from './scheduler.ts';
import { scheduledJobNames } from './scheduledJobs.ts';

const RunReport = z.object({
  job: z.string(),
  slot: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  items: z.number().optional(),
  error: z.string().optional(),
});

const JobStatusView = z.object({
  job: z.string(),
  schedule: z.string(),
  periodMs: z.number().int(),
  lastRunAt: z.string().optional(),
  lastSuccessAt: z.string().optional(),
  lastError: z.string().optional(),
  overdue: z.boolean(),
});

// A recorded run is a run report with its id, and no end while it goes on.
const RecordedRunView = RunReport.extend({
  id: z.number().int(),
  endedAt: z.string().optional().describe('absent while the run goes on, or when its process died during it'),
});

/**
 * Runs one scheduled job now in the serving process (where, in embedded mode,
 * only its own store object may write the read models), recorded like a
 * scheduled run without claiming a slot: `jobsctl run-job` for a running server.
 * A job already running in the process is refused (409), not run twice at once.
 */
export const schedulerRoutes: FastifyPluginAsync<{ scheduler: Pick<Scheduler, 'runNow' | 'status' | 'recentRuns'>; clock?: () => Date }> = async (app, { scheduler, clock = () => new Date() }) => {
  // What ran when: an operator (or a benchmark) tells a slow minute caused by a drift check or an expiry run from one caused by traffic.
  app.withTypeProvider<ZodTypeProvider>().get('/v1/ops/jobs', {
    config: { roles: ['operator'] },
    schema: {
      tags: ['ops'],
      summary: 'The scheduled jobs of this process with their health (as `/readyz` judges it), and the latest recorded runs of every instance, newest first',
      querystring: z.object({ runs: queryNumber(z.number().int().min(0).max(200).default(20)).describe('how many of the latest runs') }).strict(),
      response: { 200: z.object({ jobs: z.array(JobStatusView), runs: z.array(RecordedRunView) }) },
    },
  }, async (request) => ({ jobs: await scheduler.status(), runs: await scheduler.recentRuns(request.query.runs) }));

  app.withTypeProvider<ZodTypeProvider>().post('/v1/ops/jobs/:name/run', {
    config: { roles: ['operator'] },
    schema: {
      tags: ['ops'],
      summary: 'Run one scheduled job now in this process, as of `now` (default the present); answers its run report (`error` when the run failed)',
      params: z.object({ name: z.string().min(1).max(100).describe(`a scheduled job this process runs: ${scheduledJobNames.join(', ')} (drift-check where wired)`) }),
      body: z.object({ now: z.iso.datetime({ offset: true }).optional() }).strict().meta({ examples: [{ now: '2027-03-01T23:59:00Z' }] }),
      response: { 200: RunReport },
    },
  }, async (request) => {
    const now = request.body.now !== undefined ? new Date(request.body.now) : clock();
    try {
      return await scheduler.runNow(request.params.name, now);
    } catch (err) {
      if (err instanceof UnknownJobError) {
        throw new HttpError(404, 'scheduled_job_not_found', err.message, [{ field: 'params.name', message: `unknown job; known jobs: ${err.known.join(', ')}`, code: 'unknown_job' }]);
      }
      if (err instanceof JobRunningError) throw new HttpError(409, 'scheduled_job_running', err.message, [{ field: 'params.name', message: 'already running in this process', code: 'running' }]);
      throw err;
    }
  });
};
