import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JobView } from '../../model/jobView.ts';
import type { ApiCall } from '../apiCall.ts';
import { refusal } from '../apiCall.ts';
import { pageApi } from '../pageApi.ts';
import { pageError } from '../pageError.ts';
import type { PlaceLookup } from '../pageQuery.ts';
import type { RenderPage } from '../webRoutes.ts';
import type { BusinessJob } from './businessViews.ts';
import { businessJobHref, jobActions, statusOf } from './businessViews.ts';
import type { JobFormFields, JobFormProblem } from './jobForm.ts';
import { JobFormFields as JobFormSchema, defaultExpiryDays, expiresAtOf, expiryChoices, formOfJob, jobContentOf, jobFormLabels, jobFormChoices, paySuggestionText } from './jobForm.ts';

export interface JobFormPageOptions {
  api: ApiCall;
  page: RenderPage;
  clock: () => Date;
  places?: PlaceLookup;
  /** The form's script (the pay suggestion while typing). */
  script: string;
}

const Csrf = { _csrf: z.string().max(200) };
const IdParam = z.object({ id: z.string().min(1).max(128) }).strict();
export const ExpiresInDays = z.coerce.number().int().refine((d) => (expiryChoices as readonly number[]).includes(d), { message: `one of ${expiryChoices.join(', ')} days` });
const NewJobBody = JobFormSchema.extend({ ...Csrf, action: z.enum(['draft', 'publish']), expiresInDays: ExpiresInDays.optional() }).strict();
const EditJobBody = JobFormSchema.extend(Csrf).strict();
const SuggestionQuery = z.object({ category: z.string().max(40).optional(), employmentType: z.string().max(40).optional(), place: z.string().max(100).optional() }).strict();

/** The field names of the API's job content, as the form names them. */
const formFieldOf: Record<string, keyof JobFormFields> = {
  title: 'title', description: 'description', category: 'category', employmentType: 'employmentType', 'pay.min': 'payMin', 'pay.max': 'payMax', 'pay.currency': 'currency',
  'pay.unit': 'unit', location: 'place', remote: 'remote', skills: 'skills', startDate: 'startDate', endDate: 'endDate', hoursPerWeek: 'hoursPerWeek', experienceYears: 'experienceYears',
};

/**
 * The place lookup of an edit: the job's own place, as the form shows it,
 * stays where it is (its point and town, even a town the lookup does not
 * know); any other name is looked up.
 */
function keepingPlaceOf(job: BusinessJob, places: PlaceLookup | undefined): PlaceLookup {
  const shown = formOfJob(job).place;
  return (name) => {
    if (shown && name.trim() === shown && job.location && job.city && job.country) {
      return { label: shown, lat: job.location.lat, lon: job.location.lon, town: { city: job.city, ...(job.region ? { region: job.region } : {}), country: job.country } };
    }
    return places?.(name);
  };
}

/** Reads one of the signed-in business's jobs through the API (after `after`, when given); someone else's job is not found. */
export function ownJobReader(api: ApiCall) {
  const { call } = pageApi(api);
  return async (request: FastifyRequest, jobId: string, after?: string): Promise<BusinessJob> => {
    const job = JobView.parse((await call(request, { method: 'GET', url: `/v1/jobs/${encodeURIComponent(jobId)}${after ? `?minPosition=${after}` : ''}` })).body);
    if (job.businessId !== request.web?.user.sub) throw pageError(404, 'This job is not one of yours.', [], [{ href: '/business', label: 'Your jobs' }]);
    return job;
  };
}

/** The business's job form: post a new job (as a draft or published at once), edit one, and the pay that comparable jobs get. */
export const jobFormPages: FastifyPluginAsync<JobFormPageOptions> = async (app, { api, page, clock, places, script }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const csrf = app.csrfProtection.bind(app);
  const { check, done } = pageApi(api);

  /** What comparable jobs pay, for the form's category, type and place (nothing asked before a category is chosen). */
  async function suggestion(request: FastifyRequest, form: Pick<JobFormFields, 'category' | 'employmentType' | 'place'>): Promise<string> {
    const category = form.category?.trim();
    if (!category) return paySuggestionText({ statusCode: 0, body: {} });
    const params = new URLSearchParams({ category });
    if (form.employmentType?.trim()) params.set('employmentType', form.employmentType.trim());
    const place = form.place?.trim() ? places?.(form.place.trim()) : undefined;
    if (place) {
      params.set('lat', String(place.lat));
      params.set('lon', String(place.lon));
    }
    return paySuggestionText(await api(request, { method: 'GET', url: `/v1/compensation/suggest?${params.toString()}` }));
  }

  async function showForm(request: FastifyRequest, reply: FastifyReply, view: { mode: 'new' | 'edit'; form: JobFormFields; problems?: JobFormProblem[]; jobId?: string; title: string; expiresInDays?: number }) {
    const problems = view.problems ?? [];
    return page(reply.code(problems.length > 0 ? 400 : 200), 'jobForm', {
      title: view.title,
      section: view.mode === 'new' ? 'new-job' : 'jobs',
      mode: view.mode,
      form: view.form,
      choices: jobFormChoices(view.form),
      expiry: expiryChoices.map((days) => ({ days, selected: days === (view.expiresInDays ?? defaultExpiryDays) })),
      action: view.mode === 'new' ? '/business/jobs' : `${businessJobHref(view.jobId ?? '')}`,
      cancel: view.mode === 'new' ? '/business' : businessJobHref(view.jobId ?? ''),
      problems: problems.map((p) => ({ ...p, label: jobFormLabels[p.field] })),
      invalid: Object.fromEntries(problems.map((p) => [p.field, true])),
      suggestion: await suggestion(request, view.form),
      script,
    });
  }

  /** The API's refusal of the job's content, as problems of the form's fields. */
  const problemsOf = (answer: { statusCode: number; body: Record<string, unknown> }): JobFormProblem[] => {
    const details = Array.isArray(answer.body.details) ? (answer.body.details as Array<{ field?: unknown; message?: unknown }>) : [];
    const fromDetails = details.map((d) => {
      const path = typeof d.field === 'string' ? d.field.replace(/^body\./, '') : '';
      const field = formFieldOf[path] ?? formFieldOf[path.split('.')[0] ?? ''] ?? 'title';
      return { field, message: typeof d.message === 'string' ? d.message : 'invalid' };
    });
    return fromDetails.length > 0 ? fromDetails : [{ field: 'title', message: refusal(answer).message }];
  };

  r.get('/business/jobs/new', { schema: { hide: true, querystring: z.object({}).strict() } }, async (request, reply) =>
    showForm(request, reply, { mode: 'new', form: { currency: 'USD', unit: 'hour', experienceYears: '0' }, title: 'Post a job' }));

  r.post('/business/jobs', { preValidation: csrf, schema: { hide: true, body: NewJobBody } }, async (request, reply) => {
    const { _csrf: _token, action, expiresInDays, ...form } = request.body;
    const outcome = jobContentOf(form, places);
    if (!outcome.content) return showForm(request, reply, { mode: 'new', form, problems: outcome.problems, title: 'Post a job', ...(expiresInDays ? { expiresInDays } : {}) });
    const publish = action === 'publish' ? { publish: { expiresAt: expiresAtOf(expiresInDays ?? defaultExpiryDays, clock()) } } : {};
    const answer = await api(request, { method: 'POST', url: '/v1/jobs', body: { ...outcome.content, ...publish } });
    if (answer.statusCode === 400) return showForm(request, reply, { mode: 'new', form, problems: problemsOf(answer), title: 'Post a job', ...(expiresInDays ? { expiresInDays } : {}) });
    const created = check(answer, [201]).body;
    return done(reply, businessJobHref(String(created.id)), answer);
  });

  const ownJob = ownJobReader(api);

  r.get('/business/jobs/:id/edit', { schema: { hide: true, params: IdParam, querystring: z.object({}).strict() } }, async (request, reply) => {
    const job = await ownJob(request, request.params.id);
    const now = clock();
    // Worded by the status the pages show: an open job past its expiry is expired.
    if (!jobActions(job, now).edit) throw pageError(409, `This job is ${statusOf(job, now)}: it can no longer be changed.`, [], [{ href: businessJobHref(job.jobId), label: 'Back to the job' }]);
    return showForm(request, reply, { mode: 'edit', form: formOfJob(job), jobId: job.jobId, title: `Edit ${job.title}` });
  });

  r.post('/business/jobs/:id', { preValidation: csrf, schema: { hide: true, params: IdParam, body: EditJobBody } }, async (request, reply) => {
    const { _csrf: _token, ...form } = request.body;
    const jobId = request.params.id;
    const job = await ownJob(request, jobId);
    const outcome = jobContentOf(form, keepingPlaceOf(job, places));
    if (!outcome.content) return showForm(request, reply, { mode: 'edit', form, problems: outcome.problems, jobId, title: 'Edit the job' });
    const answer = await api(request, { method: 'PATCH', url: `/v1/jobs/${encodeURIComponent(jobId)}`, body: outcome.content });
    if (answer.statusCode === 400) return showForm(request, reply, { mode: 'edit', form, problems: problemsOf(answer), jobId, title: 'Edit the job' });
    return done(reply, businessJobHref(jobId), check(answer, [200]));
  });

  // The form's script asks this while the business types; the answer is text for a live region.
  r.get('/business/pay-suggestion', { schema: { hide: true, querystring: SuggestionQuery } }, async (request, reply) =>
    reply.header('cache-control', 'private, no-store').send({ text: await suggestion(request, request.query) }));
};
