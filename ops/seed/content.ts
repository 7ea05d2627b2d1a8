import type { EmploymentType } from '../../eventstore/events/index.ts';

/**
 * Pools of the demo dataset that are not per category: employment types,
 * sentences, business and person names, and each country's currency and pay
 * level. Plain data; the stream builders draw from it with a seeded generator.
 */
export const employmentTypeWeights: ReadonlyArray<readonly [EmploymentType, number]> = [
  ['seasonal', 26],
  ['hourly', 24],
  ['part_time', 18],
  ['temporary', 14],
  ['full_time', 10],
  ['gig', 8],
];

export const shiftSentences: readonly string[] = [
  'Shifts are mostly early mornings, from 6 am to 2 pm.',
  'Expect evening and weekend shifts, with a rota published two weeks ahead.',
  'We run rotating 8-hour shifts, including some nights.',
  'Choose day or evening shifts; split shifts are never required.',
  'Most shifts are 4 to 6 hours long, ideal alongside study.',
  'Weekend shifts only: Saturday and Sunday, 9 am to 5 pm.',
  'Four 10-hour days a week, with three days off in a row.',
  'Flexible hours: pick the shifts that suit you in our app.',
];

export const closingSentences: readonly string[] = [
  'Apply in two minutes: no CV needed.',
  'We reply to every application within 48 hours.',
  'Interviews happen on site or by video call, whichever you prefer.',
  'No experience? No problem: full training is provided.',
  'Returning seasonal staff are very welcome.',
  'Bring a friend: we hire in pairs too.',
];

export const generalPerks: readonly string[] = [
  'Pay is weekly by bank transfer.',
  'Free staff uniform.',
  'Friendly, international team.',
  'End-of-season bonus for staying the whole season.',
];

export const businessPrefixes: readonly string[] = [
  'Northwind', 'Bluebird', 'Summit', 'Harbor', 'Golden Leaf', 'Maple', 'Evergreen', 'Riverside', 'Sunrise', 'Alpine',
  'Coastal', 'Redwood', 'Silver Lake', 'Oak & Ember', 'Brightwater', 'Pinecrest', 'Lakeside', 'Meridian', 'Cedar',
  'Atlas', 'Juniper', 'Blue Fjord', 'Copper Kettle', 'Starling', 'Wildflower', 'Granite Peak', 'Seabreeze', 'Orchard Lane',
  'Polar Star', 'Sunflower', 'Horizon', 'Kestrel', 'Willow', 'Highland', 'Driftwood', 'Amber', 'Trailhead', 'Beacon',
];

export const firstNames: readonly string[] = [
  'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Mateo', 'Sofia', 'Lucas', 'Mia', 'Ethan', 'Amara', 'Yusuf', 'Aisha', 'Kenji',
  'Mei', 'Arjun', 'Priya', 'Diego', 'Valentina', 'Jonas', 'Lea', 'Tomás', 'Chloé', 'Luca', 'Giulia', 'Oscar', 'Freya',
  'Kwame', 'Zanele', 'Ivan', 'Olga', 'Sven', 'Ingrid', 'Hana', 'Minh', 'Fatima', 'Omar', 'Nia', 'Rafael', 'Ana',
  'Jack', 'Ruby', 'Leo', 'Isla', 'Sami', 'Elif', 'Ravi', 'Maya', 'Chen', 'Lina',
];

export const lastNames: readonly string[] = [
  'Smith', 'García', 'Müller', 'Rossi', 'Dubois', 'Kowalski', 'Nguyen', 'Kim', 'Tanaka', 'Singh', 'Patel', 'Okafor',
  'Mensah', 'Silva', 'Santos', 'Johansson', 'Nielsen', 'Novak', 'Horvat', 'Ivanova', 'Yilmaz', 'Haddad', 'Cohen',
  'Murphy', "O'Brien", 'Fischer', 'Martin', 'Bernard', 'López', 'Hernández', 'Wang', 'Li', 'Chen', 'Ahmed', 'Khan',
  'Brown', 'Wilson', 'Taylor', 'Anderson', 'Thomas', 'Moreau', 'Costa', 'Jensen', 'Virtanen', 'Popescu',
];

/** Euro area plus the microstates and others that use the euro. */
const euroCountries = new Set([
  'AT', 'BE', 'HR', 'CY', 'EE', 'FI', 'FR', 'DE', 'GR', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PT', 'SK', 'SI', 'ES',
  'AD', 'MC', 'SM', 'VA', 'ME', 'XK',
]);

export function currencyOf(country: string): string {
  if (country === 'US') return 'USD';
  if (country === 'GB') return 'GBP';
  if (country === 'CA') return 'CAD';
  if (country === 'AU') return 'AUD';
  if (euroCountries.has(country)) return 'EUR';
  return 'USD';
}

const payLevels: Record<string, number> = {
  US: 1, CA: 1.1, AU: 1.55, GB: 0.8,
  DE: 0.85, NL: 0.9, FR: 0.8, BE: 0.85, AT: 0.8, IE: 0.85, LU: 0.95, FI: 0.8, AD: 0.75, MC: 0.95,
  ES: 0.6, IT: 0.6, PT: 0.45, GR: 0.4, SI: 0.5, CY: 0.45, MT: 0.45, EE: 0.45, LV: 0.4, LT: 0.45, SK: 0.4, HR: 0.4,
  CH: 1.3, NO: 1.1, DK: 1.1, SE: 0.85, IS: 1.1, JP: 0.6, KR: 0.6, SG: 0.7, NZ: 0.85, IL: 0.6, AE: 0.45, QA: 0.45,
  HK: 0.5, TW: 0.4, CZ: 0.3, PL: 0.3, HU: 0.25, RO: 0.25, BG: 0.2, CL: 0.2, UY: 0.2, SA: 0.35, KW: 0.35,
  CN: 0.2, BR: 0.15, MX: 0.15, TR: 0.18, RU: 0.18, AR: 0.15, ZA: 0.15, MY: 0.15, TH: 0.12, CO: 0.12, PE: 0.12,
  KZ: 0.12, RS: 0.2, UA: 0.12, ME: 0.3, XK: 0.25,
};

/** Local pay level relative to the US, in the country's currency as chosen by currencyOf. */
export function payLevelOf(country: string): number {
  return payLevels[country] ?? 0.1;
}
