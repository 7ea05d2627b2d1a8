import type { City } from '../seed/cities.ts';
import { loadCities } from '../seed/cities.ts';
import type { Place, PlaceLookup } from '../../query/web/pageQuery.ts';

// Case and accents do not matter to someone typing a town's name.
const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

const labelOf = (c: City): string => `${c.name}, ${c.region ?? c.country}`;

/**
 * The search form's place names over the cities the demo data is drawn from:
 * "Hood River", "Hood River, OR" (US state) or "Lyon, FR" (country code),
 * resolved to the most populous match. The table loads on the first lookup.
 */
export function cityPlaceLookup(cities: () => readonly City[] = () => loadCities().cities): PlaceLookup {
  let byName: Map<string, City[]> | undefined;
  const index = (): Map<string, City[]> => {
    if (byName) return byName;
    byName = new Map();
    const add = (key: string, c: City) => {
      const list = byName!.get(key);
      if (list) list.push(c);
      else byName!.set(key, [c]);
    };
    for (const c of cities()) {
      const key = fold(c.name);
      add(key, c);
      // People type "New York" and "Mexico" for "New York City" and "Mexico City".
      if (key.endsWith(' city')) add(key.slice(0, -' city'.length), c);
    }
    for (const list of byName.values()) list.sort((a, b) => b.population - a.population);
    return byName;
  };
  return (typed: string): Place | undefined => {
    const [name = '', qualifier] = typed.split(',', 2).map(fold);
    const candidates = index().get(name);
    if (!candidates) return undefined;
    const found = qualifier ? candidates.find((c) => fold(c.region ?? '') === qualifier || fold(c.country) === qualifier) : candidates[0];
    return found ? { label: labelOf(found), lat: found.lat, lon: found.lon, town: { city: found.name, ...(found.region ? { region: found.region } : {}), country: found.country } } : undefined;
  };
}
