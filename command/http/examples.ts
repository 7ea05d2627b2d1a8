/** Working request examples, shown in /openapi.json and checked by a test. */
export const jobExample = {
  title: 'Seasonal Barista',
  description: 'Pull espresso shots and serve customers at our lakeside cafe during the summer season.',
  category: 'hospitality',
  employmentType: 'seasonal',
  pay: { min: 16, max: 19.5, currency: 'USD', unit: 'hour' },
  location: { point: { lat: 39.0968, lon: -120.0324 }, city: 'Tahoe City', country: 'US' },
  remote: false,
  skills: ['espresso', 'customer service', 'cash handling'],
  startDate: '2027-06-01',
  endDate: '2027-09-15',
  hoursPerWeek: 30,
  experienceYears: 0,
  publish: { expiresAt: '2027-05-31T23:59:00Z' },
} as const;

export const jobPatchExample = { title: 'Seasonal Barista (weekends)', pay: { min: 18, max: 21, currency: 'USD', unit: 'hour' } } as const;
export const publishExample = { expiresAt: '2027-05-31T23:59:00Z' } as const;
export const closeExample = { reason: 'filled' } as const;
export const reopenExample = { expiresAt: '2027-06-30T23:59:00Z' } as const;
export const applyExample = { message: 'I worked two summers as a barista and can start in June.', contact: { email: 'alex.rivera@example.com', phone: '+1 530 555 0142' } } as const;
export const withdrawExample = { reason: 'Found another job' } as const;
export const statusExample = { status: 'shortlisted', note: 'Strong espresso experience' } as const;
export const workerProfileExample = {
  name: 'Alex Rivera',
  skills: ['espresso', 'customer service'],
  location: { lat: 39.1, lon: -120.05 },
  maxTravelKm: 40,
  desiredHourlyPay: 18,
  currency: 'USD',
  availability: [{ from: '2027-06-01', to: '2027-09-30' }],
  experienceYears: 2,
  email: 'alex@example.com',
} as const;
export const businessProfileExample = {
  name: 'Lakeside Cafe',
  description: 'A family cafe on the south shore, busy from May to October.',
  website: 'https://lakeside.example.com',
  logoUrl: 'https://lakeside.example.com/logo.png',
  locations: [{ point: { lat: 38.94, lon: -119.98 }, city: 'South Lake Tahoe', region: 'CA', country: 'US' }],
  email: 'jobs@lakeside.example.com',
} as const;
export const savedSearchExample = {
  name: 'Baristas near Tahoe',
  query: { text: 'barista', near: { lat: 39.1, lon: -120.05, radiusKm: 30 } },
  alertFrequency: 'daily',
  alertHour: 7,
  timeZone: 'America/Los_Angeles',
} as const;
export const savedSearchAlertsExample = { alertFrequency: 'weekly', alertWeekday: 'friday', alertHour: 17 } as const;
