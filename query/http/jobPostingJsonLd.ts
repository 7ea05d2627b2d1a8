import type { JobDocument } from '../../mappings/jobDocument.ts';

const employmentTypes: Record<JobDocument['employmentType'], string> = {
  seasonal: 'TEMPORARY',
  hourly: 'PART_TIME',
  part_time: 'PART_TIME',
  full_time: 'FULL_TIME',
  temporary: 'TEMPORARY',
  gig: 'CONTRACTOR',
};
const units: Record<JobDocument['pay']['unit'], string> = { hour: 'HOUR', shift: 'DAY', day: 'DAY', week: 'WEEK', month: 'MONTH', year: 'YEAR' };

/** A job's public page data as schema.org JobPosting (what search engines index). */
export function jobPostingJsonLd(job: JobDocument): Record<string, unknown> {
  return {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    identifier: { '@type': 'PropertyValue', name: 'jobId', value: job.jobId },
    title: job.title,
    description: job.description,
    datePosted: job.publishedAt ?? job.createdAt,
    ...(job.expiresAt ? { validThrough: job.expiresAt } : {}),
    employmentType: employmentTypes[job.employmentType],
    // A business without a profile yet has no name to give: its id stands in.
    hiringOrganization: { '@type': 'Organization', name: job.businessName ?? job.businessId, identifier: job.businessId },
    ...(job.location
      ? {
          jobLocation: {
            '@type': 'Place',
            address: { '@type': 'PostalAddress', addressLocality: job.city, ...(job.region ? { addressRegion: job.region } : {}), addressCountry: job.country },
            geo: { '@type': 'GeoCoordinates', latitude: job.location.lat, longitude: job.location.lon },
          },
        }
      : {}),
    ...(job.remote ? { jobLocationType: 'TELECOMMUTE' } : {}),
    baseSalary: {
      '@type': 'MonetaryAmount',
      currency: job.pay.currency,
      value: { '@type': 'QuantitativeValue', minValue: job.pay.min, maxValue: job.pay.max, unitText: units[job.pay.unit] },
    },
    ...(job.skills.length > 0 ? { skills: job.skills.join(', ') } : {}),
    ...(job.startDate ? { jobStartDate: job.startDate } : {}),
    ...(job.experienceYears > 0 ? { experienceRequirements: { '@type': 'OccupationalExperienceRequirements', monthsOfExperience: job.experienceYears * 12 } } : {}),
  };
}
