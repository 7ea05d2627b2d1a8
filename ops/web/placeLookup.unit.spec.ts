import { describe, expect, it } from 'vitest';
import type { City } from '../seed/cities.ts';
import { cityPlaceLookup } from './placeLookup.ts';

const cities: City[] = [
  { name: 'Portland', country: 'US', region: 'OR', lat: 45.52, lon: -122.68, population: 650_000 },
  { name: 'Portland', country: 'US', region: 'ME', lat: 43.66, lon: -70.26, population: 68_000 },
  { name: 'Zürich', country: 'CH', lat: 47.37, lon: 8.54, population: 420_000 },
  { name: 'Lyon', country: 'FR', lat: 45.76, lon: 4.84, population: 520_000 },
];

describe('cityPlaceLookup', () => {
  const lookup = cityPlaceLookup(() => cities);

  it('resolves a name to its most populous city, or to the one in the named state or country', () => {
    expect(lookup('Portland')).toEqual({ label: 'Portland, OR', lat: 45.52, lon: -122.68, town: { city: 'Portland', region: 'OR', country: 'US' } });
    expect(lookup('portland, me')).toEqual({ label: 'Portland, ME', lat: 43.66, lon: -70.26, town: { city: 'Portland', region: 'ME', country: 'US' } });
    expect(lookup('Portland, US')?.label).toBe('Portland, OR');
    expect(lookup('  LYON ,  fr ')?.label).toBe('Lyon, FR');
  });

  it('ignores case and accents, and knows nothing it was not given', () => {
    expect(lookup('zurich')?.label).toBe('Zürich, CH');
    expect(lookup('Portland, FR')).toBeUndefined();
    expect(lookup('Atlantis')).toBeUndefined();
  });

  it('reads the real city table on first use', () => {
    const real = cityPlaceLookup();
    expect(real('Reno, NV')).toMatchObject({ label: 'Reno, NV' });
    expect(real('New York')).toMatchObject({ label: 'New York City, NY' });
  });
});
