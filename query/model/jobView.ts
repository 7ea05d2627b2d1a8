import { z } from 'zod';
import { Category, EmploymentType, Pay } from '../../eventstore/events/index.ts';

/** A job as the read API shows it: the `jobs` read-model document. */
export const JobView = z.object({
  jobId: z.string(),
  businessId: z.string(),
  businessName: z.string().optional().describe("the business's name as its profile says now"),
  title: z.string(),
  description: z.string(),
  category: Category,
  employmentType: EmploymentType,
  pay: Pay,
  hourlyMin: z.number().describe('pay normalised to an hourly rate'),
  hourlyMax: z.number(),
  location: z.object({ lat: z.number(), lon: z.number() }).optional(),
  city: z.string().optional(),
  region: z.string().optional(),
  country: z.string().optional(),
  remote: z.boolean(),
  skills: z.array(z.string()),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  hoursPerWeek: z.number().optional(),
  experienceYears: z.number(),
  status: z.enum(['draft', 'open', 'closed', 'expired']),
  closedReason: z.enum(['filled', 'withdrawn', 'expired']).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  views: z.number(),
  saves: z.number(),
  applications: z.number(),
  position: z.number().describe('log position of the last event applied to this document'),
});

export const SearchHitView = z.object({
  job: JobView,
  score: z.number().optional(),
  distanceKm: z.number().optional(),
  highlights: z.object({ title: z.array(z.string()).optional(), description: z.array(z.string()).optional() }).optional(),
  match: z
    .object({
      score: z.number().describe('0..100'),
      factors: z.object({ skills: z.number(), distance: z.number(), pay: z.number(), availability: z.number(), experience: z.number() }).describe('each 0..1'),
    })
    .optional()
    .describe('under sort=match: your match score for the job, as recommendations and POST /v1/match give it'),
});

const Bucket = z.object({ key: z.string(), count: z.number().int() });

export const SearchResultView = z.object({
  total: z.number().int(),
  hits: z.array(SearchHitView),
  nextCursor: z.string().optional(),
  facets: z
    .object({
      category: z.array(Bucket),
      employmentType: z.array(Bucket),
      payBands: z.array(Bucket.extend({ from: z.number().optional(), to: z.number().optional() })),
      skills: z.array(Bucket).describe('the 20 most frequent skills (lowercase), count desc then key'),
      city: z.array(Bucket).describe('the 20 most frequent cities as jobs record them (the `city` filter takes these keys), count desc then key'),
      remote: z.array(Bucket).describe('`true` then `false`'),
      postedWithin: z.array(Bucket.extend({ days: z.number().int() })).describe('published within the last 1, 7 and 30 days of the request (cumulative, as postedWithinDays)'),
    })
    .optional()
    .describe('with facets=true: each facet counts the jobs matching every filter except its own (category ignores category, payBands payMin/payMax, postedWithin postedWithinDays/postedSince, ...), so a bucket says what picking it would find'),
  position: z.number().int().describe('the read model has applied the log up to here'),
});

export const MapResultView = z.object({
  zoom: z.number().int(),
  precision: z.number().int(),
  total: z.number().int(),
  clusters: z.array(
    z.object({
      key: z.string(),
      count: z.number().int(),
      centroid: z.object({ lat: z.number(), lon: z.number() }),
      bounds: z.object({ minLat: z.number(), minLon: z.number(), maxLat: z.number(), maxLon: z.number() }),
    }),
  ),
  points: z.array(z.object({ jobId: z.string(), lat: z.number(), lon: z.number(), title: z.string() })).optional(),
  truncated: z.boolean().optional().describe('true when more cells than the cap (MAP_MAX_CELLS, default 10 000) held jobs: `clusters` has the most populated ones; zoom in or narrow the filters'),
  position: z.number().int(),
});
