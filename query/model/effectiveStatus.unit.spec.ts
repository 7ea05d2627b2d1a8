import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobDocumentStatus } from '../../mappings/jobDocument.ts';
import { effectiveStatus, expiryPast, storedConditionsOf } from './effectiveStatus.ts';

const now = new Date('2026-06-15T12:00:00.000Z');
const statuses: readonly JobDocumentStatus[] = ['draft', 'open', 'closed', 'expired'];

describe('effective status', () => {
  it('is expired for an open job from its expiry instant on, and the stored status otherwise', () => {
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    expect(effectiveStatus({ status: 'open', expiresAt: at(1) }, now)).toBe('open');
    expect(effectiveStatus({ status: 'open', expiresAt: at(0) }, now)).toBe('expired');
    expect(effectiveStatus({ status: 'open' }, now)).toBe('open');
    expect(effectiveStatus({ status: 'closed', expiresAt: at(-1) }, now)).toBe('closed');
    expect(effectiveStatus({ status: 'draft', expiresAt: at(-1) }, now)).toBe('draft');
  });

  it('selects by its stored conditions exactly the jobs of that effective status', () => {
    const job = fc.record({
      status: fc.constantFrom(...statuses),
      // Around the boundary (0: expiring at now exactly), or none.
      expiresInMs: fc.option(fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -1e10, max: 1e10 })), { nil: undefined }),
    });
    fc.assert(
      fc.property(job, fc.constantFrom(...statuses), ({ status, expiresInMs }, asked) => {
        const doc = { status, ...(expiresInMs !== undefined ? { expiresAt: new Date(now.getTime() + expiresInMs).toISOString() } : {}) };
        const past = expiryPast(doc.expiresAt, now);
        const selected = storedConditionsOf(asked).some((c) => c.status === doc.status && (c.expiry === undefined || (c.expiry === 'past') === past));
        expect(selected).toBe(effectiveStatus(doc, now) === asked);
      }),
    );
  });
});
