import { z } from 'zod';
import { Category, EmploymentType, GeoPoint, Skill, id, isoDate, isoInstant } from '../../eventstore/events/index.ts';
import type { JobDocumentStatus } from '../../mappings/jobDocument.ts';

/**
 * `expiring`: soonest expiresAt first. `match`: best match score first for the
 * signed-in worker asking (the route supplies the profile; a store refuses it
 * without one).
 */
export const sorts = ['relevance', 'distance', 'newest', 'pay', 'expiring', 'match'] as const;
export const Sort = z.enum(sorts);
export type Sort = z.infer<typeof Sort>;
export const sortDescription = 'relevance (text score, else newest), distance (needs near), newest, pay (hourlyMax), expiring (soonest expiresAt first), match (your match score: a worker token with a profile); ties by job id';

export const Near = GeoPoint.extend({ radiusKm: z.number().positive().max(20_000) }).strict();
export type Near = z.infer<typeof Near>;

/** A viewport by its south-west and north-east corners; minLon > maxLon crosses the antimeridian. */
export const BBox = z
  .object({
    minLat: z.number().min(-90).max(90),
    minLon: z.number().min(-180).max(180),
    maxLat: z.number().min(-90).max(90),
    maxLon: z.number().min(-180).max(180),
  })
  .strict();
export type BBox = z.infer<typeof BBox>;

/** The filters shared by search, map and facets, so their counts agree. */
export const jobFilterShape = {
  text: z.string().trim().min(1).max(200).optional().describe('words to find in title, description and skills'),
  category: z.array(Category).min(1).max(20).optional().describe('any of these categories'),
  employmentType: z.array(EmploymentType).min(1).max(6).optional().describe('any of these employment types'),
  payMin: z.number().nonnegative().max(100_000).optional().describe('hourly pay at least: the job pays up to payMin or more'),
  payMax: z.number().nonnegative().max(100_000).optional().describe('hourly pay at most: the job pays from payMax or less'),
  availableFrom: isoDate.optional().describe('the job dates overlap [availableFrom, availableTo]'),
  availableTo: isoDate.optional(),
  skills: z.array(Skill).min(1).max(20).optional(),
  skillsMode: z.enum(['any', 'all']).default('any'),
  city: z.array(z.string().min(1).max(200)).min(1).max(20).optional().describe('any of these cities, exactly as jobs record them (the keys of the city facet)'),
  remote: z.boolean().optional().describe('true: remote jobs only; false: on-site only'),
  postedWithinDays: z.number().int().min(1).max(365).optional(),
  postedSince: isoInstant.optional().describe('published at or after this instant (e.g. the last time you looked)'),
  businessId: id.optional(),
  near: Near.optional().describe('within radiusKm of a point'),
  bbox: BBox.optional().describe('inside a box'),
  includeClosed: z.boolean().default(false).describe('owners only: also drafts and closed jobs of businessId'),
};

export const SearchRequest = z
  .object({
    ...jobFilterShape,
    sort: Sort.default('relevance').describe(sortDescription),
    size: z.number().int().min(1).max(100).default(20),
    cursor: z.string().max(2000).optional().describe('nextCursor of the previous page'),
    facets: z.boolean().default(false),
    highlight: z.boolean().default(false),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.payMin !== undefined && r.payMax !== undefined && r.payMax < r.payMin) ctx.addIssue({ code: 'custom', path: ['payMax'], message: 'must be >= payMin' });
    if (r.availableFrom && r.availableTo && r.availableTo < r.availableFrom) ctx.addIssue({ code: 'custom', path: ['availableTo'], message: 'must not be before availableFrom' });
    if (r.sort === 'distance' && !r.near) ctx.addIssue({ code: 'custom', path: ['sort'], message: 'sort by distance needs near' });
    if (r.bbox && r.bbox.maxLat < r.bbox.minLat) ctx.addIssue({ code: 'custom', path: ['bbox', 'maxLat'], message: 'must be >= minLat' });
  });
export type SearchRequest = z.output<typeof SearchRequest>;
export type JobFilters = Omit<SearchRequest, 'sort' | 'size' | 'cursor' | 'facets' | 'highlight'>;

/**
 * Narrowing to one effective status (effectiveStatus.ts), for owner listings
 * (`includeClosed` with `businessId`): the business's own jobs page. No public
 * route's schema has it, so nobody reaches another business's drafts through
 * it; without an owner listing it only narrows the open jobs a search shows.
 */
export interface StatusFilter {
  status?: JobDocumentStatus;
}

/** The filters as a caller may give them, before zod's defaults (both stores and the DSL take this). */
export type FilterInput = Omit<JobFilters, 'skillsMode' | 'includeClosed'> &
  StatusFilter & {
    skillsMode?: 'any' | 'all';
    includeClosed?: boolean;
  };

export const MapRequest = z
  .object({ ...jobFilterShape, bbox: BBox, zoom: z.number().int().min(0).max(20) })
  .strict()
  .superRefine((r, ctx) => {
    if (r.bbox.maxLat < r.bbox.minLat) ctx.addIssue({ code: 'custom', path: ['bbox', 'maxLat'], message: 'must be >= minLat' });
  });
export type MapRequest = z.output<typeof MapRequest>;
