import { describe, expect, it } from 'vitest';
import { currentVersion, decodeEvent } from './decode.ts';

const v1 = { workerId: 'w1', searchId: 's1', name: 'Baristas', query: { text: 'barista' }, savedAt: '2026-03-02T10:00:00Z' };

describe('SearchSaved upcasting', () => {
  it('writes new saved searches at version 2', () => {
    expect(currentVersion('SearchSaved')).toBe(2);
  });

  it('reads v1 alerts on as instant alerts, off as off, with the default digest schedule', () => {
    expect(decodeEvent('SearchSaved', 1, { ...v1, alerts: true }).data).toEqual({
      ...v1, alertFrequency: 'instant', alertHour: 8, alertWeekday: 1, timeZone: 'UTC',
    });
    expect(decodeEvent('SearchSaved', 1, { ...v1, alerts: false }).data).toMatchObject({ alertFrequency: 'off' });
  });

  it('refuses a v1 event without its alerts flag', () => {
    expect(() => decodeEvent('SearchSaved', 1, v1)).toThrow();
  });
});
