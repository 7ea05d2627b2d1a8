// Who viewed a job, as a daily salted hash, never the raw IP.
import { describe, expect, it } from 'vitest';
import { viewerKeyOf } from './jobRoutes.ts';

const anon = (ip: string, ua?: string) => ({ ip, headers: ua === undefined ? {} : { 'user-agent': ua } });

describe('viewerKeyOf', () => {
  const day = '2027-03-01';
  const salt = 'salt-of-the-day';

  it('is stable within a day for one viewer, and differs across days, salts, agents and subjects', () => {
    const k = viewerKeyOf(anon('203.0.113.9', 'ua'), day, salt);
    expect(k).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(viewerKeyOf(anon('203.0.113.9', 'ua'), day, salt)).toBe(k);
    expect(viewerKeyOf(anon('203.0.113.9', 'ua'), '2027-03-02', salt)).not.toBe(k);
    expect(viewerKeyOf(anon('203.0.113.9', 'ua'), day, 'another salt')).not.toBe(k);
    expect(viewerKeyOf(anon('203.0.113.9', 'other ua'), day, salt)).not.toBe(k);
    expect(viewerKeyOf(anon('203.0.113.10', 'ua'), day, salt)).not.toBe(k);
    expect(k).not.toContain('203');
  });

  it('a signed-in viewer is one viewer whatever its IP or agent', () => {
    const w = (ip: string, ua: string) => ({ ...anon(ip, ua), principal: { role: 'worker' as const, sub: 'w-1' } });
    expect(viewerKeyOf(w('198.51.100.1', 'a'), day, salt)).toBe(viewerKeyOf(w('203.0.113.9', 'b'), day, salt));
    expect(viewerKeyOf({ ...anon('198.51.100.1'), principal: { role: 'worker', sub: 'w-2' } }, day, salt)).not.toBe(viewerKeyOf(w('198.51.100.1', 'a'), day, salt));
  });

  it('counts IPv6 by /64, as the rate limits do', () => {
    expect(viewerKeyOf(anon('2001:db8:1:2::1', 'ua'), day, salt)).toBe(viewerKeyOf(anon('2001:db8:1:2:ffff::9', 'ua'), day, salt));
    expect(viewerKeyOf(anon('2001:db8:1:3::1', 'ua'), day, salt)).not.toBe(viewerKeyOf(anon('2001:db8:1:2::1', 'ua'), day, salt));
  });
});
