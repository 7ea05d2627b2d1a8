import type { Category, DomainEvent } from '../../eventstore/events/index.ts';
import { categories } from '../../eventstore/events/index.ts';
import type { City, CityTable } from './cities.ts';
import { categoryContent } from './categoryContent.ts';
import { businessPrefixes } from './content.ts';
import { createRng, deriveSeed } from './prng.ts';
import { DOMAIN_BUSINESS } from './seedDomains.ts';
import { businessIdOf } from './seedIds.ts';
import type { SeedStream } from './seedStream.ts';
import { DAY, iso, sec } from './seedTime.ts';
import { categoryWeights } from './seedWeights.ts';
import { businessStream as businessStreamId } from '../../command/deciders/businessDecider.ts';

/** A generated business: its profile event plus what its jobs draw on. */
export interface BusinessInfo {
  id: string;
  name: string;
  category: Category;
  city: City;
  event: DomainEvent;
  occurredAt: string;
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function makeBusiness(seed: number, index: number, now: number, cities: CityTable): BusinessInfo {
  const rng = createRng(deriveSeed(seed, DOMAIN_BUSINESS, index));
  const id = businessIdOf(index);
  const category = rng.weighted(categories, categoryWeights);
  const city = cities.pick(rng);
  const name = `${rng.pick(businessPrefixes)} ${rng.pick(categoryContent[category].businessSuffixes)}`;
  const host = `${slug(name)}.example`;
  const profile: { name: string; website?: string; email?: string } = { name };
  if (rng.chance(0.85)) profile.website = `https://${host}/`;
  if (rng.chance(0.9)) profile.email = `jobs+${id}@${host}`;
  const updatedAt = iso(sec(now - rng.range(60, 400) * DAY));
  return {
    id,
    name,
    category,
    city,
    event: { type: 'BusinessProfileUpdated', data: { businessId: id, profile, updatedAt } },
    occurredAt: updatedAt,
  };
}

export function businessStream(business: BusinessInfo): SeedStream {
  return { kind: 'business', streamId: businessStreamId(business.id), events: [business.event], occurredAt: [business.occurredAt] };
}
