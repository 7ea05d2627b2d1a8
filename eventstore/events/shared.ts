import { z } from 'zod';

/** ISO-8601 instant with offset, as every event and command carries time. */
export const isoInstant = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();
export const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only');
/** The `:id` path parameter of a route on either side: an aggregate id, nothing else. */
export const IdParams = z.object({ id }).strict();

export const payUnits = ['hour', 'day', 'week', 'month', 'year', 'shift'] as const;
export const PayUnit = z.enum(payUnits);
export type PayUnit = z.infer<typeof PayUnit>;

export const employmentTypes = ['seasonal', 'hourly', 'part_time', 'full_time', 'temporary', 'gig'] as const;
export const EmploymentType = z.enum(employmentTypes);
export type EmploymentType = z.infer<typeof EmploymentType>;

export const categories = [
  'hospitality', 'retail', 'agriculture', 'warehouse', 'events', 'tourism', 'delivery',
  'construction', 'cleaning', 'childcare', 'healthcare', 'office', 'outdoor', 'food_service',
  'customer_service', 'security', 'education', 'manufacturing', 'transport', 'other',
] as const;
export const Category = z.enum(categories);
export type Category = z.infer<typeof Category>;

export const Pay = z
  .object({
    min: z.number().nonnegative().max(1_000_000),
    max: z.number().nonnegative().max(1_000_000),
    currency: z.string().regex(/^[A-Z]{3}$/),
    unit: PayUnit,
  })
  .strict()
  .refine((p) => p.max >= p.min, { message: 'max must be >= min', path: ['max'] });
export type Pay = z.infer<typeof Pay>;

export const GeoPoint = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict();
export type GeoPoint = z.infer<typeof GeoPoint>;

export const JobLocation = z
  .object({
    point: GeoPoint,
    city: z.string().min(1).max(200),
    region: z.string().max(200).optional(),
    country: z.string().regex(/^[A-Z]{2}$/),
  })
  .strict();
export type JobLocation = z.infer<typeof JobLocation>;

export const Skill = z.string().trim().toLowerCase().min(1).max(60);
export const Skills = z.array(Skill).max(50);

export const TimeWindow = z
  .object({ from: isoDate, to: isoDate.optional() })
  .strict()
  .refine((w) => w.to === undefined || w.to >= w.from, { message: 'to must not be before from', path: ['to'] });
export type TimeWindow = z.infer<typeof TimeWindow>;
