import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiCall } from './apiCall.ts';
import { pageApi } from './pageApi.ts';
import { pageError } from './pageError.ts';
import type { PlaceLookup } from './pageQuery.ts';
import type { BusinessProfileFields, ProfileProblem, WorkerProfileFields, WorkerProfileView } from './profileForms.ts';
import { AVAILABILITY_ROWS, BusinessProfileFields as BusinessSchema, WorkerProfileFields as WorkerSchema, businessProfileOf, formOfWorkerProfile, workerProfileOf } from './profileForms.ts';
import type { WebRole } from './session.ts';
import type { RenderPage } from './webRoutes.ts';

export interface ProfilePageOptions {
  api: ApiCall;
  page: RenderPage;
  places?: PlaceLookup;
  role: WebRole;
}

const Stored = z.object({ profile: z.record(z.string(), z.unknown()), revision: z.number().int() });
const Revision = z.string().regex(/^(-1|\d{1,15})?$/).optional();
const Csrf = z.string().max(200);

/**
 * The signed-in user's own profile, read back from the API and replaced
 * through it: `/me/profile` for a worker (what matching and alerts use),
 * `/business/profile` for a business (the name its jobs show, the address
 * its mail goes to). The form carries the revision it was read at, so a
 * change made meanwhile elsewhere is not overwritten unseen.
 */
export const profilePages: FastifyPluginAsync<ProfilePageOptions> = async (app, { api, page, places, role }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const csrf = app.csrfProtection.bind(app);
  const { check } = pageApi(api);
  const path = role === 'worker' ? '/me/profile' : '/business/profile';
  const apiPath = role === 'worker' ? '/v1/me/profile' : '/v1/businesses/me/profile';

  async function stored(request: FastifyRequest) {
    const answer = await api(request, { method: 'GET', url: apiPath });
    return answer.statusCode === 404 ? undefined : Stored.parse(check(answer, [200]).body);
  }

  function show(reply: FastifyReply, view: { form: WorkerProfileFields | BusinessProfileFields; revision: string; problems?: ProfileProblem[]; saved?: boolean; isNew: boolean }) {
    const problems = view.problems ?? [];
    return page(reply.code(problems.length > 0 ? 400 : 200), role === 'worker' ? 'workerProfile' : 'businessProfile', {
      title: 'Your profile', section: 'profile', form: view.form, revision: view.revision, problems, saved: view.saved ?? false, isNew: view.isNew,
      invalid: Object.fromEntries(problems.map((p) => [p.field, true])), rows: Array.from({ length: AVAILABILITY_ROWS }, (_, i) => i),
    });
  }

  r.get(path, { schema: { hide: true, querystring: z.object({ saved: z.literal('1').optional() }).strict() } }, async (request, reply) => {
    const current = await stored(request);
    const form = role === 'worker'
      ? current ? formOfWorkerProfile(current.profile as unknown as WorkerProfileView) : { maxTravelKm: '50', currency: 'USD', experienceYears: '0' }
      : { name: '', website: '', email: '', ...(current?.profile as BusinessProfileFields | undefined) };
    return show(reply, { form, revision: current ? String(current.revision) : '-1', saved: request.query.saved === '1', isNew: !current });
  });

  const Body = (role === 'worker' ? WorkerSchema : BusinessSchema).extend({ _csrf: Csrf, revision: Revision }).strict();
  r.post(path, { preValidation: csrf, schema: { hide: true, body: Body } }, async (request, reply) => {
    const { _csrf: _token, revision, ...form } = request.body as { _csrf: string; revision?: string } & Record<string, string | undefined>;
    const current = await stored(request);
    const outcome = role === 'worker' ? workerProfileOf(form, places) : businessProfileOf(form, current?.profile);
    // The form shows the first windows of availability; those past them (set through the API) are kept.
    const more = role === 'worker' && Array.isArray(current?.profile.availability) ? (current.profile.availability as unknown[]).slice(AVAILABILITY_ROWS) : [];
    if (outcome.profile && more.length > 0) outcome.profile.availability = [...(outcome.profile.availability as unknown[]), ...more];
    if (!outcome.profile) return show(reply, { form, revision: revision ?? '-1', problems: outcome.problems, isNew: revision === undefined || revision === '-1' });
    const changedElsewhere = () => pageError(409, 'Your profile was changed elsewhere since this page was opened: nothing was saved.', [], [{ href: path, label: 'Open your profile as it is now' }]);
    // A worker's form opened with no profile: the worker's stream also holds saved jobs and searches,
    // so its revision need not be -1 then; the first profile is written only if there still is none.
    const first = role === 'worker' && revision === '-1';
    if (first && current) throw changedElsewhere();
    const answer = await api(request, { method: 'PUT', url: apiPath, body: outcome.profile, ...(revision && !first ? { headers: { 'if-match': revision } } : {}) });
    if (answer.statusCode === 409) throw changedElsewhere();
    check(answer, [200]);
    return reply.redirect(`${path}?saved=1`, 303);
  });
};
