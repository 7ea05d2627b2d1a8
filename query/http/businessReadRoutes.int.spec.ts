import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessProfileExample, jobExample } from '../../command/http/examples.ts';
import type { FullApp } from '../../tests/support/fullApp.ts';
import { startFullApp } from '../../tests/support/fullApp.ts';

const business = { role: 'business', sub: 'b-public' } as const;
const other = { role: 'business', sub: 'b-public-other' } as const;
type Who = { role: 'business'; sub: string };

interface PublicBusiness {
  businessId: string;
  name: string;
  description?: string;
  website?: string;
  logoUrl?: string;
  locations?: unknown[];
  openJobs: number;
}

describe.each(['embedded', 'server'] as const)('business profiles as a read model (%s mode)', (mode) => {
  let t: FullApp;
  let position = 0;
  const send = async (method: 'POST' | 'PUT', url: string, who: Who, payload: object) => {
    const res = await t.app.inject({ method, url, headers: await t.auth(who), payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const body = res.json<{ id: string; position: number }>();
    position = Math.max(position, body.position);
    return body;
  };
  const read = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers: { 'x-min-position': String(position), ...headers } });
  const titleOf = (title: string) => ({ ...jobExample, title, description: `${title} by the lake, all summer.` });

  beforeAll(async () => {
    t = await startFullApp(mode, { minPositionWaitMs: 15_000 });
  });
  afterAll(async () => t?.close());

  it('a business without a profile is a 404 in the error shape; its jobs name no business', async () => {
    const { id } = await send('POST', '/v1/jobs', other, titleOf('Dock hand'));
    const res = await read(`/v1/businesses/${other.sub}`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, code: 'business_not_found' });
    const job = (await read(`/v1/jobs/${id}`)).json<Record<string, unknown>>();
    expect(job).not.toHaveProperty('businessName');
    const jsonLd = (await read(`/v1/jobs/${id}`, { accept: 'application/ld+json' })).json<{ hiringOrganization: { name: string } }>();
    expect(jsonLd.hiringOrganization.name).toBe(other.sub);
  });

  it('answers the public part of the profile with the count of open jobs, never the e-mail or webhook address', async () => {
    await send('PUT', '/v1/businesses/me/profile', business, { ...businessProfileExample, webhookUrl: 'https://hooks.example.com/private' });
    const draft = titleOf('Draft only');
    delete (draft as { publish?: unknown }).publish;
    await send('POST', '/v1/jobs', business, draft);
    const open = await send('POST', '/v1/jobs', business, titleOf('Barista'));
    const closed = await send('POST', '/v1/jobs', business, titleOf('Closed one'));
    await send('POST', `/v1/jobs/${closed.id}/close`, business, { reason: 'filled' });
    const res = await read(`/v1/businesses/${business.sub}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<PublicBusiness>();
    expect(body).toMatchObject({
      businessId: business.sub,
      name: businessProfileExample.name,
      description: businessProfileExample.description,
      website: businessProfileExample.website,
      logoUrl: businessProfileExample.logoUrl,
      locations: businessProfileExample.locations,
      openJobs: 1,
    });
    expect(res.body).not.toContain('jobs@lakeside');
    expect(res.body).not.toContain('hooks.example.com');
    expect(body).not.toHaveProperty('position');
    const job = (await read(`/v1/jobs/${open.id}`)).json<{ businessName?: string }>();
    expect(job.businessName).toBe(businessProfileExample.name);
  });

  it('a new name reaches every job of the business, in search hits, the job and its JobPosting', async () => {
    const jobs = [await send('POST', '/v1/jobs', business, titleOf('Line cook')), await send('POST', '/v1/jobs', business, titleOf('Host'))];
    await send('PUT', '/v1/businesses/me/profile', business, { ...businessProfileExample, name: 'Lakeside Cafe & Bakery' });
    const hits = (await read(`/v1/search?businessId=${business.sub}&size=100`)).json<{ hits: { job: { businessName?: string } }[] }>().hits;
    expect(hits.length).toBeGreaterThanOrEqual(3);
    for (const h of hits) expect(h.job.businessName).toBe('Lakeside Cafe & Bakery');
    for (const { id } of jobs) {
      const jsonLd = (await read(`/v1/jobs/${id}`, { accept: 'application/ld+json' })).json<{ hiringOrganization: { name: string; identifier: string } }>();
      expect(jsonLd.hiringOrganization).toMatchObject({ name: 'Lakeside Cafe & Bakery', identifier: business.sub });
    }
    // Another business's jobs keep what they had.
    const others = (await read(`/v1/search?businessId=${other.sub}`)).json<{ hits: { job: Record<string, unknown> }[] }>().hits;
    for (const h of others) expect(h.job).not.toHaveProperty('businessName');
    expect((await read(`/v1/businesses/${business.sub}`)).json<PublicBusiness>().name).toBe('Lakeside Cafe & Bakery');
  });

  it('the job page says who posts the job, escaped', async () => {
    await send('PUT', '/v1/businesses/me/profile', business, { ...businessProfileExample, name: '<b>Cafe</b> & Co' });
    const { id } = await send('POST', '/v1/jobs', business, titleOf('Server'));
    // Pages take no read position: wait for the read models.
    expect(await t.settled()).toBe(true);
    const page = await read(`/jobs/${id}`, { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Posted by &lt;b&gt;Cafe&lt;/b&gt; &amp; Co');
    expect(page.body).not.toContain('<b>Cafe</b>');
  });

  it('a profile that is not valid is refused naming the field, and writes nothing', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/businesses/me/profile', headers: await t.auth(business), payload: { ...businessProfileExample, logoUrl: 'http://insecure.example/logo.png' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ field: 'body.logoUrl' })] });
    const tooMany = Array.from({ length: 21 }, () => businessProfileExample.locations[0]);
    const res2 = await t.app.inject({ method: 'PUT', url: '/v1/businesses/me/profile', headers: await t.auth(business), payload: { ...businessProfileExample, locations: tooMany } });
    expect(res2.statusCode).toBe(400);
    expect(res2.json()).toMatchObject({ details: [expect.objectContaining({ field: 'body.locations' })] });
  });
});
