/**
 * Who may call which API route: for each documented method and path, the
 * status each of the six principals gets. "Own" ids belong to w-a and b-a;
 * w-b and b-b are the other tenant of the same role.
 */
export const principals = ['anonymous', 'worker', 'otherWorker', 'business', 'otherBusiness', 'operator'] as const;
export type PrincipalName = (typeof principals)[number];
export type Expected = Record<PrincipalName, number | readonly number[]>;

/** Every principal allowed, with the same answer. */
const all = (s: number): Expected => ({ anonymous: s, worker: s, otherWorker: s, business: s, otherBusiness: s, operator: s });
const row = (anonymous: number | readonly number[], worker: number | readonly number[], otherWorker: number | readonly number[], business: number | readonly number[], otherBusiness: number | readonly number[], operator: number | readonly number[]): Expected =>
  ({ anonymous, worker, otherWorker, business, otherBusiness, operator });

export const authzMatrix: Record<string, Expected> = {
  'POST /v1/jobs': row(401, 403, 403, 201, 201, 403),
  'PATCH /v1/jobs/{id}': row(401, 403, 403, 200, 403, 403),
  'DELETE /v1/jobs/{id}': row(401, 403, 403, 200, 403, 403),
  'GET /v1/jobs/{id}': all(200),
  'POST /v1/jobs/{id}/publish': row(401, 403, 403, 200, 403, 403),
  'POST /v1/jobs/{id}/close': row(401, 403, 403, 200, 403, 403),
  'POST /v1/jobs/{id}/reopen': row(401, 403, 403, 200, 403, 403),
  'POST /v1/jobs/{id}/views': all(202),
  'POST /v1/jobs/{id}/applications': row(401, 201, 201, 403, 403, 403),
  'GET /v1/jobs/{id}/applications': row(401, 403, 403, 200, 403, 403),
  'POST /v1/applications/{id}/withdraw': row(401, 200, 403, 403, 403, 403),
  'POST /v1/applications/{id}/status': row(401, 403, 403, 200, 403, 403),
  'PUT /v1/me/profile': row(401, 200, 200, 403, 403, 403),
  'GET /v1/me/profile': row(401, 200, 200, 403, 403, 403),
  'PUT /v1/me/saved-jobs/{jobId}': row(401, 200, 200, 403, 403, 403),
  'DELETE /v1/me/saved-jobs/{jobId}': row(401, 200, 200, 403, 403, 403),
  'POST /v1/me/saved-searches': row(401, 201, 201, 403, 403, 403),
  'GET /v1/me/saved-searches': row(401, 200, 200, 403, 403, 403),
  'PATCH /v1/me/saved-searches/{id}': row(401, 200, 404, 403, 403, 403),
  'DELETE /v1/me/saved-searches/{id}': row(401, 200, 404, 403, 403, 403),
  'GET /v1/me/saved-searches/{id}/results': row(401, 200, 404, 403, 403, 403),
  'GET /v1/businesses/me/profile': row(401, 403, 403, 200, 200, 403),
  'PUT /v1/businesses/me/profile': row(401, 403, 403, 200, 200, 403),
  'GET /v1/businesses/{id}': all(200),
  'GET /v1/search': all(200),
  'POST /v1/search': all(200),
  'GET /v1/map': all(200),
  'GET /v1/suggest': all(200),
  'GET /v1/compensation/suggest': all(200),
  'GET /v1/me/recommendations': row(401, 200, 200, 403, 403, 403),
  'POST /v1/match': row(401, 200, 200, 403, 403, 200),
  'GET /v1/me/saved-jobs': row(401, 200, 200, 403, 403, 403),
  'GET /v1/me/applications': row(401, 200, 200, 403, 403, 403),
  'GET /v1/businesses/me/jobs': row(401, 403, 403, 200, 200, 403),
  'GET /v1/jobs/{id}/stats': row(401, 403, 403, 200, 403, 200),
  'GET /v1/businesses/me/analytics': row(401, 403, 403, 200, 200, 403),
  'POST /v1/ops/rebuild': row(401, 403, 403, 403, 403, 200),
  'POST /v1/ops/jobs/{name}/run': row(401, 403, 403, 403, 403, 200),
  'GET /v1/ops/jobs': row(401, 403, 403, 403, 403, 200),
  'GET /v1/ops/projections': row(401, 403, 403, 403, 403, 200),
  'GET /v1/me/notifications': row(401, 200, 200, 200, 200, 403),
  'PUT /v1/me/notification-preferences': row(401, 200, 200, 200, 200, 403),
  // The signed token in the link authorizes, not the bearer: any caller with w-a's link may use it.
  'GET /v1/notifications/unsubscribe': all(200),
  'POST /v1/notifications/unsubscribe': all(200),
  'POST /v1/businesses/me/webhooks': row(401, 403, 403, 201, 201, 403),
  'GET /v1/businesses/me/webhooks': row(401, 403, 403, 200, 200, 403),
  // b-b looks for b-a's webhook among its own and finds nothing.
  'DELETE /v1/businesses/me/webhooks/{webhookId}': row(401, 403, 403, 204, 404, 403),
  'GET /v1/ops/notifications': row(401, 403, 403, 403, 403, 200),
  'GET /healthz': all(200),
  'GET /readyz': all(200),
};
