import { describe, expect, it } from 'vitest';
import { overlapping } from './scheduledRuns.ts';

const at = (s: number) => new Date(Date.UTC(2026, 11, 8, 2, 0, s)).toISOString();

describe('the scheduled runs that overlapped a scenario', () => {
  it('keeps the runs meeting the window, oldest first, with the seconds inside it; a run still going counts to the window\'s end', () => {
    const runs = [
      { job: 'late', startedAt: at(50), endedAt: at(55) },
      { job: 'spans', startedAt: at(5), endedAt: at(40) },
      { job: 'running', startedAt: at(25) },
      { job: 'before', startedAt: at(0), endedAt: at(9) },
      { job: 'inside', startedAt: at(12), endedAt: at(13), error: 'boom' },
    ];
    expect(overlapping(runs, new Date(at(10)), new Date(at(30)))).toEqual([
      { job: 'spans', startedAt: at(5), endedAt: at(40), overlapS: 20 },
      { job: 'inside', startedAt: at(12), endedAt: at(13), overlapS: 1, error: 'boom' },
      { job: 'running', startedAt: at(25), overlapS: 5 },
    ]);
  });
});
