import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { MyApplicationView, SavedJobView, SavedSearchView } from '../../http/listRoutes.ts';
import type { RecommendationsView } from '../../http/matchRoutes.ts';
import type { NotificationView } from '../../http/notificationRoutes.ts';
import { notificationKinds } from '../../../eventstore/events/index.ts';
import { applicationRow, notificationRow, recommendationRow, savedJobRow, savedSearchRow } from './workerViews.ts';

const now = new Date('2027-03-10T12:00:00Z');
const job = {
  jobId: 'j-1', businessId: 'b-1', title: 'Lift operator', description: 'Run the chairlift.', category: 'outdoor', employmentType: 'seasonal',
  pay: { min: 18, max: 18, currency: 'USD', unit: 'hour' }, hourlyMin: 18, hourlyMax: 18, location: { lat: 39.1, lon: -120.05 }, city: 'Tahoe City', country: 'US',
  remote: false, skills: ['ropes'], experienceYears: 1, status: 'open', createdAt: '2027-03-01T00:00:00Z', updatedAt: '2027-03-01T00:00:00Z', publishedAt: '2027-03-09T00:00:00Z',
  views: 0, saves: 0, applications: 0, position: 7,
} satisfies z.infer<typeof RecommendationsView>['items'][number]['job'];

type Notification = z.infer<typeof NotificationView>;
const notification = (kind: Notification['kind'], data: Record<string, unknown>, status: Notification['status'] = 'sent'): Notification => ({ id: `n-${kind}`, kind, status, data, createdAt: '2027-03-08T09:00:00Z' });

describe('what the worker pages show', () => {
  it('words each kind of notification, with a link to its job when it has one', () => {
    const texts: Record<Notification['kind'], [Record<string, unknown>, string]> = {
      application_received: [{ jobId: 'j-1', jobTitle: 'Lift operator', workerId: 'w-1', workerName: 'Ana' }, 'Ana applied to Lift operator'],
      application_withdrawn: [{ jobId: 'j-1', jobTitle: 'Lift operator', workerId: 'w-1' }, 'w-1 withdrew their application to Lift operator'],
      application_status: [{ jobId: 'j-1', jobTitle: 'Lift operator', status: 'shortlisted' }, 'Your application to Lift operator: Shortlisted'],
      job_expiring: [{ jobId: 'j-1', jobTitle: 'Lift operator', expiresAt: '2027-05-31T23:59:00Z' }, 'Lift operator expires on 31 May 2027'],
      job_expired: [{ jobId: 'j-1', jobTitle: 'Lift operator', expiredAt: '2027-05-31T23:59:00Z' }, 'Lift operator has expired'],
      saved_search_alert: [{ jobId: 'j-1', jobTitle: 'Lift operator', city: 'Tahoe City', searches: [{ searchId: 's1', name: 'Ski jobs' }, { searchId: 's2', name: 'Tahoe' }] }, 'New job for Ski jobs, Tahoe: Lift operator in Tahoe City'],
      saved_search_digest: [{ searchId: 's1', searchName: 'Ski jobs', frequency: 'daily', jobs: [{ jobId: 'j-1', title: 'Lift operator' }, { jobId: 'j-2', title: 'Ski tech' }] }, '2 new jobs for Ski jobs'],
      weekly_summary: [{}, 'Your weekly summary'],
    };
    expect(Object.keys(texts).sort()).toEqual([...notificationKinds].sort());
    for (const kind of notificationKinds) {
      const [data, text] = texts[kind];
      const row = notificationRow(notification(kind, data), now);
      expect(row.text, kind).toBe(text);
      expect(row.href, kind).toBe(typeof data.jobId === 'string' ? '/jobs/j-1' : undefined);
      expect(row.when).toBe('2 days ago');
    }
  });

  it('counts a digest of one job in the singular and names a search without a name generically', () => {
    expect(notificationRow(notification('saved_search_digest', { searchName: 'Ski jobs', jobs: [{ jobId: 'j-1', title: 'Lift operator' }] }), now).text).toBe('1 new job for Ski jobs');
    expect(notificationRow(notification('saved_search_alert', { jobId: 'j-1', jobTitle: 'Lift operator', searches: [] }), now).text).toBe('New job for your saved search: Lift operator');
    expect(notificationRow(notification('application_received', { jobId: 'j-1', jobTitle: 'Lift operator' }), now).text).toBe('someone applied to Lift operator');
  });

  it('says whether and why a notification was mailed', () => {
    const statusOf = (status: Notification['status']) => notificationRow(notification('weekly_summary', {}, status), now).status;
    expect(statusOf('sent')).toBe('Mailed');
    expect(statusOf('pending')).toBe('Being mailed');
    expect(statusOf('unaddressed')).toBe('Not mailed: no e-mail address in your profile');
    expect(statusOf('stale')).toBe('Not mailed: too old');
    expect(statusOf('dead')).toBe('Could not be mailed');
  });

  it('shows the score out of 100 and each factor as a percentage, with what it rests on', () => {
    const row = recommendationRow({
      job,
      score: 87.6,
      factors: { skills: 0.5, distance: 0.874, pay: 1, availability: 0.25, experience: 1 },
      details: { skillsMatched: 1, skillsRequired: 2, distanceKm: 5.04, payRatio: 1.2, availableDays: 30, jobDays: 120, experienceRatio: 3 },
      reason: '1 of 2 skills, 5 km away',
    }, now);
    expect(row.score).toBe('88 / 100');
    expect(row.jobId).toBe('j-1');
    expect(row.reason).toBe('1 of 2 skills, 5 km away');
    expect(row.card.href).toBe('/jobs/j-1');
    expect(row.factors).toEqual([
      { name: 'Skills', value: '50%', detail: '1 of 2 skills' },
      { name: 'Distance', value: '87%', detail: '5 km away' },
      { name: 'Pay', value: '100%', detail: '120% of what you ask' },
      { name: 'Availability', value: '25%', detail: '30 of 120 days' },
      { name: 'Experience', value: '100%', detail: '100% of the experience asked' },
    ]);
  });

  it('leaves out the details a match does not have', () => {
    const row = recommendationRow({ job: { ...job, remote: true }, score: 40, factors: { skills: 1, distance: 1, pay: 1, availability: 1, experience: 1 }, details: { skillsMatched: 0, skillsRequired: 0 }, reason: 'no specific skills required, remote' }, now);
    expect(row.factors.map((f) => f.detail)).toEqual(['no skills asked', 'no distance', '', '', '']);
    const near = recommendationRow({ job, score: 40, factors: { skills: 1, distance: 1, pay: 1, availability: 1, experience: 1 }, details: { skillsMatched: 1, skillsRequired: 1, distanceKm: 0.3 }, reason: '' }, now);
    expect(near.factors.slice(0, 2).map((f) => f.detail)).toEqual(['1 of 1 skill', '300 m away']);
  });

  it('words each application status and offers to withdraw only while the application is open', () => {
    const application = (status: z.infer<typeof MyApplicationView>['status']): z.infer<typeof MyApplicationView> => ({
      applicationId: 'a-1', jobId: 'j-1', businessId: 'b-1', status, submittedAt: '2027-03-09T08:00:00Z', updatedAt: '2027-03-09T08:00:00Z', job: { title: 'Lift operator', status: 'open' },
    });
    const expected = {
      submitted: ['Sent, not yet read', true], reviewing: ['Being reviewed', true], shortlisted: ['Shortlisted', true],
      rejected: ['Not selected', false], hired: ['Hired', false], withdrawn: ['Withdrawn by you', false],
    } as const;
    for (const [status, [words, canWithdraw]] of Object.entries(expected)) {
      const row = applicationRow(application(status as keyof typeof expected), now);
      expect([row.status, row.canWithdraw, row.statusKey], status).toEqual([words, canWithdraw, status]);
    }
    const row = applicationRow({ ...application('submitted'), message: 'Hello <b>there</b>' }, now);
    expect([row.title, row.href, row.message, row.submitted, row.jobStatus]).toEqual(['Lift operator', '/jobs/j-1', 'Hello <b>there</b>', 'yesterday', '']);
  });

  it('marks an application to a job that closed or is gone', () => {
    const base = { applicationId: 'a-1', jobId: 'j-9', businessId: 'b-1', status: 'submitted', submittedAt: '2027-03-10T08:00:00Z', updatedAt: '2027-03-10T08:00:00Z' } as const;
    expect(applicationRow({ ...base, job: { title: 'Lift operator', status: 'expired' } }, now).jobStatus).toBe('Expired');
    const gone = applicationRow({ ...base, job: null }, now);
    expect([gone.title, gone.jobStatus, gone.submitted]).toEqual(['Job j-9 (no longer listed)', '', 'today']);
  });

  it('shows a saved job with its pay and status, or that it is gone', () => {
    const saved: z.infer<typeof SavedJobView> = { jobId: 'j-1', savedAt: '2027-03-01T00:00:00Z', job: { title: 'Lift operator', city: 'Tahoe City', pay: { min: 16, max: 19.5, currency: 'USD', unit: 'hour' }, status: 'open' } };
    expect(savedJobRow(saved, now)).toEqual({ jobId: 'j-1', href: '/jobs/j-1', title: 'Lift operator', place: 'Tahoe City', pay: '$16–$19.50 per hour', status: 'Open', open: true, saved: '9 days ago' });
    expect(savedJobRow({ ...saved, job: { ...saved.job!, pay: { min: 120, max: 120, currency: 'USD', unit: 'shift' }, status: 'closed' } }, now)).toMatchObject({ pay: '$120 per shift', status: 'Closed', open: false });
    expect(savedJobRow({ ...saved, jobId: 'j/2', job: null }, now)).toMatchObject({ href: '/jobs/j%2F2', title: 'Job j/2 (no longer listed)', status: 'Gone', pay: '', place: '', open: false });
  });

  it('shows a saved search with its link, its alerts and whether it is archived', () => {
    const search: z.infer<typeof SavedSearchView> = {
      searchId: 's-1', name: 'Baristas near Tahoe', query: { text: 'barista', near: { lat: 39.1, lon: -120.05, radiusKm: 30 } }, alertFrequency: 'daily', alertHour: 7, alertWeekday: 1,
      timeZone: 'America/Los_Angeles', status: 'active', archived: false, savedAt: '2027-03-01T00:00:00Z', updatedAt: '2027-03-01T00:00:00Z',
    };
    const row = savedSearchRow(search);
    expect(row).toMatchObject({ searchId: 's-1', name: 'Baristas near Tahoe', summary: '“barista” · within 30 km of 39.1, -120.05', runHref: '/?q=barista&place=39.1%2C-120.05&radius=30', partial: false, archived: false, frequency: 'Daily digest' });
    expect(row.choices.filter((c) => c.selected).map((c) => c.value)).toEqual(['daily']);
    expect(savedSearchRow({ ...search, status: 'archived', archived: true, query: { availableFrom: '2027-06-01' } })).toMatchObject({ archived: true, partial: true, summary: 'Every open job' });
  });
});
