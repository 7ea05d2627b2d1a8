import { describe, expect, it } from 'vitest';
import { eventCatalog, type EventType } from './catalog.ts';
import { currentVersion, decodeEvent, UnknownEventTypeError } from './decode.ts';
import { upcast, UnknownEventVersionError } from './upcasters.ts';

const eventTypes = Object.keys(eventCatalog) as EventType[];

describe('decoding stored events', () => {
  it('refuses a type the catalog does not know, naming it', () => {
    let caught: unknown;
    try {
      decodeEvent('JobTeleported', 1, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnknownEventTypeError);
    expect(caught).toMatchObject({ type: 'JobTeleported', message: 'unknown event type JobTeleported' });
  });

  it('refuses data written by a newer version than this code knows, for every type', () => {
    for (const type of eventTypes) {
      const future = currentVersion(type) + 1;
      expect(() => upcast(type, future, {})).toThrow(new UnknownEventVersionError(type, future));
    }
  });

  it('refuses a version below the oldest one it has an upcaster for', () => {
    for (const type of eventTypes) {
      expect(() => upcast(type, 0, {})).toThrow(UnknownEventVersionError);
    }
  });

  it('leaves data at the current version as it is', () => {
    for (const type of eventTypes) {
      const data = { any: 'thing' };
      expect(upcast(type, currentVersion(type), data)).toBe(data);
    }
  });

  it('reads a v1 JobDrafted’s single pay amount as a USD range of that amount', () => {
    const v1 = {
      jobId: 'job-1',
      businessId: 'biz-1',
      title: 'Harvest hand',
      description: 'Pick apples.',
      category: 'agriculture',
      employmentType: 'seasonal',
      pay: { amount: 18, unit: 'hour' },
      location: { point: { lat: 44.5, lon: -72.6 }, city: 'Montpelier', region: 'VT', country: 'US' },
      remote: false,
      skills: ['picking'],
      experienceYears: 0,
    };
    const decoded = decodeEvent('JobDrafted', 1, v1);
    expect(decoded.type).toBe('JobDrafted');
    expect(decoded.data).toMatchObject({ jobId: 'job-1', pay: { min: 18, max: 18, currency: 'USD', unit: 'hour' } });
  });
});
