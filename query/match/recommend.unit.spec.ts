import { describe, expect, it } from 'vitest';
import { diversify, reasonOf } from './recommend.ts';

const item = (jobId: string, businessId: string) => ({ job: { jobId, businessId } });

describe('diversify', () => {
  it('keeps at most cap per business, the next best filling the page', () => {
    const sorted = [item('1', 'a'), item('2', 'a'), item('3', 'a'), item('4', 'b'), item('5', 'a'), item('6', 'c')];
    expect(diversify(sorted, 4, 2).map((i) => i.job.jobId)).toEqual(['1', '2', '4', '6']);
    expect(diversify(sorted, 2, 1).map((i) => i.job.jobId)).toEqual(['1', '4']);
    expect(diversify(sorted, 10, 10)).toHaveLength(6);
  });
});

describe('reasonOf', () => {
  it('says skills, distance, pay and availability in one line', () => {
    expect(reasonOf({ remote: false }, { skillsMatched: 3, skillsRequired: 4, distanceKm: 12.3, payRatio: 1.15, availableDays: 10, jobDays: 10 })).toBe(
      '3 of 4 skills, 12 km away, pays 15% above your ask, fits your availability',
    );
    expect(reasonOf({ remote: false }, { skillsMatched: 0, skillsRequired: 1, distanceKm: 0.4, payRatio: 0.9, availableDays: 3, jobDays: 10, experienceRatio: 0.5 })).toBe(
      '0 of 1 skill, under 1 km away, pays 10% below your ask, you are free 3 of 10 days, asks for more experience',
    );
  });

  it('leaves out what the details lack', () => {
    expect(reasonOf({ remote: true }, { skillsMatched: 0, skillsRequired: 0 })).toBe('no specific skills required, remote');
    expect(reasonOf({ remote: false }, { skillsMatched: 1, skillsRequired: 2, distanceKm: 5.55, payRatio: 1 })).toBe('1 of 2 skills, 5.6 km away, pays your ask');
  });
});
