import type { Category, EmploymentType } from '../../eventstore/events/index.ts';

/**
 * Text and number pools for the demo dataset: seasonal and hourly work, per
 * catalog category. Everything here is plain data; the dataset's stream
 * builders draw from it with a seeded generator.
 */

export type Season = 'winter' | 'spring' | 'summer' | 'autumn' | 'holiday';

export interface TitleSpec {
  title: string;
  /** Seasons the job belongs to; none means all year round. */
  seasons: readonly Season[];
}

export interface CategoryContent {
  /** Relative share of jobs. */
  weight: number;
  titles: readonly TitleSpec[];
  /** Lowercase, trimmed (the catalog's Skill schema lowercases and trims). */
  skills: readonly string[];
  /** Words a worker would type in a saved search. */
  keywords: readonly string[];
  /** US pay per hour in USD, [low, high], before the country's level. */
  payPerHourUsd: readonly [number, number];
  /** Probability that a job of this category is remote. */
  remoteShare: number;
  duties: readonly string[];
  perks: readonly string[];
  businessSuffixes: readonly string[];
}

/** 'Ski Lift Operator@winter' or 'Harvest Picker@summer,autumn'. */
function titles(...specs: string[]): TitleSpec[] {
  return specs.map((spec) => {
    const [title = spec, seasons] = spec.split('@');
    return { title, seasons: seasons ? (seasons.split(',') as Season[]) : [] };
  });
}

export const categoryContent: Record<Category, CategoryContent> = {
  hospitality: {
    weight: 12,
    titles: titles(
      'Seasonal Barista', 'Hotel Housekeeper', 'Front Desk Agent', 'Ski Lodge Host@winter', 'Bartender',
      'Banquet Server', 'Beach Bar Server@summer', 'Room Attendant', 'Night Auditor', 'Resort Concierge',
      'Breakfast Host', 'Chalet Host@winter', 'Pool Bar Attendant@summer',
    ),
    skills: ['customer service', 'espresso', 'latte art', 'cash handling', 'pos systems', 'housekeeping', 'food safety',
      'bartending', 'reservations', 'multilingual', 'teamwork', 'upselling', 'cocktails', 'check-in'],
    keywords: ['barista', 'housekeeper', 'bartender', 'front desk', 'hotel', 'resort', 'host'],
    payPerHourUsd: [13, 22],
    remoteShare: 0.01,
    duties: [
      'You will welcome guests, take orders and keep the bar or lobby spotless during busy service.',
      'Prepare rooms to a high standard, restock amenities and report anything that needs maintenance.',
      'Handle check-ins, answer questions about the area and keep bookings up to date in our system.',
      'Work alongside the kitchen and floor team to keep service quick and friendly at peak times.',
      'Serve drinks and light meals, handle payments and make every guest feel at home.',
    ],
    perks: ['Staff meals on every shift.', 'Tips shared fairly across the team.', 'Discounted stays for you and your family.',
      'Staff housing available for the season.'],
    businessSuffixes: ['Hotel & Spa', 'Hospitality Group', 'Resort', 'Inn', 'Lodge', 'Suites'],
  },
  retail: {
    weight: 11,
    titles: titles(
      'Holiday Retail Associate@holiday', 'Cashier', 'Stock Associate', 'Visual Merchandiser', 'Gift Wrapper@holiday',
      'Back-to-School Sales Associate@summer', 'Garden Centre Assistant@spring', 'Store Greeter', 'Fitting Room Attendant',
      'Inventory Counter', 'Sales Floor Associate', 'Seasonal Toy Store Assistant@holiday',
    ),
    skills: ['cash handling', 'customer service', 'pos systems', 'merchandising', 'stock replenishment', 'gift wrapping',
      'inventory', 'upselling', 'returns', 'visual display', 'teamwork', 'product knowledge'],
    keywords: ['retail', 'cashier', 'sales associate', 'store', 'stock', 'merchandiser'],
    payPerHourUsd: [13, 19],
    remoteShare: 0.01,
    duties: [
      'Help customers find what they need, run the till and keep the shop floor tidy and well stocked.',
      'Unload deliveries, price items and refill shelves before the doors open.',
      'Set up eye-catching displays and keep fitting rooms and aisles in order.',
      'Process returns and exchanges quickly and with a smile during the busiest weeks of the year.',
    ],
    perks: ['Staff discount of up to 30%.', 'Flexible shifts that fit around study.', 'Paid breaks and overtime at time and a half.',
      'A good chance of a permanent role after the season.'],
    businessSuffixes: ['Outfitters', 'Department Store', 'Market', 'Home & Garden', 'Boutique', 'Supply Co.'],
  },
  agriculture: {
    weight: 7,
    titles: titles(
      'Harvest Picker@summer,autumn', 'Grape Harvest Worker@autumn', 'Strawberry Picker@spring,summer', 'Orchard Hand',
      'Greenhouse Worker', 'Tractor Driver', 'Packing Shed Worker@summer,autumn', 'Christmas Tree Farm Hand@holiday',
      'Apple Picker@autumn', 'Farm Labourer', 'Lambing Assistant@spring', 'Vineyard Pruner@winter',
    ),
    skills: ['fruit picking', 'harvesting', 'tractor driving', 'pruning', 'packing', 'irrigation', 'physical stamina',
      'forklift', 'animal care', 'quality grading', 'greenhouse', 'teamwork'],
    keywords: ['harvest', 'picker', 'farm', 'orchard', 'vineyard', 'greenhouse'],
    payPerHourUsd: [14, 20],
    remoteShare: 0,
    duties: [
      'Pick and grade fruit by hand, working in small teams across the rows.',
      'Pack produce for shipping, check quality and keep the packing line moving.',
      'Help with pruning, planting and irrigation between the harvest rounds.',
      'Drive small tractors and trailers between the fields and the packing shed.',
    ],
    perks: ['Piece-rate bonus on top of the hourly rate.', 'On-site caravan accommodation.', 'Transport from town every morning.',
      'Fresh produce to take home.'],
    businessSuffixes: ['Farms', 'Orchards', 'Growers', 'Vineyards', 'Produce Co.', 'Estate'],
  },
  warehouse: {
    weight: 9,
    titles: titles(
      'Warehouse Picker (Night Shift)', 'Forklift Operator', 'Packer', 'Inventory Associate',
      'Peak Season Warehouse Associate@holiday', 'Loader / Unloader', 'Returns Processor', 'Shipping Clerk',
      'Order Picker', 'Warehouse Operative (Weekends)',
    ),
    skills: ['order picking', 'packing', 'forklift', 'rf scanner', 'inventory', 'shipping', 'receiving', 'pallet jack',
      'physical stamina', 'attention to detail', 'health and safety'],
    keywords: ['warehouse', 'picker', 'forklift', 'packer', 'logistics'],
    payPerHourUsd: [16, 24],
    remoteShare: 0,
    duties: [
      'Pick and pack customer orders accurately using a handheld scanner.',
      'Load and unload trucks, check deliveries against the paperwork and stage pallets.',
      'Operate a forklift or pallet jack safely across a busy warehouse floor.',
      'Process returns, restock bins and keep your area clean and safe.',
    ],
    perks: ['Night-shift premium.', 'Weekly pay.', 'Free parking and a shuttle from the station.', 'Safety boots provided.'],
    businessSuffixes: ['Logistics', 'Fulfilment', 'Distribution', 'Freight', 'Warehousing'],
  },
  events: {
    weight: 5,
    titles: titles(
      'Festival Crew Member@summer', 'Event Steward', 'Stagehand', 'Catering Server', 'Ticket Scanner',
      'Concert Setup Crew', 'Wedding Event Staff@spring,summer', 'Christmas Market Stall Assistant@holiday', 'Usher',
      'Brand Ambassador', 'Marathon Volunteer Coordinator@spring,autumn',
    ),
    skills: ['event setup', 'crowd management', 'customer service', 'stage rigging', 'ticketing', 'catering',
      'teamwork', 'radio communication', 'heavy lifting', 'promotions'],
    keywords: ['festival', 'event', 'stagehand', 'steward', 'concert', 'catering'],
    payPerHourUsd: [15, 25],
    remoteShare: 0,
    duties: [
      'Build and strike stages, barriers and tents before and after each show.',
      'Scan tickets, guide visitors and keep entrances flowing safely.',
      'Serve food and drinks to guests at receptions, weddings and corporate events.',
      'Hand out samples and talk to visitors about the brand at busy venues.',
    ],
    perks: ['Free entry to the festival on your days off.', 'Meals and drinks during shifts.', 'Paid travel between venues.',
      'Branded crew clothing.'],
    businessSuffixes: ['Events', 'Productions', 'Live', 'Festivals', 'Catering & Events'],
  },
  tourism: {
    weight: 6,
    titles: titles(
      'Tour Guide@summer', 'Ski Lift Operator@winter', 'Ski Instructor@winter', 'Snowboard Instructor@winter',
      'Museum Attendant', 'Boat Tour Deckhand@summer', 'Visitor Centre Assistant', 'Campground Host@summer',
      'Kayak Rental Attendant@summer', 'Theme Park Ride Operator@summer', 'Ski Rental Technician@winter',
    ),
    skills: ['storytelling', 'multilingual', 'first aid', 'skiing', 'snowboarding', 'customer service', 'boat handling',
      'equipment maintenance', 'ticketing', 'local knowledge', 'safety briefing'],
    keywords: ['tour guide', 'ski', 'instructor', 'museum', 'tourism', 'lift operator', 'theme park'],
    payPerHourUsd: [14, 26],
    remoteShare: 0,
    duties: [
      'Lead small groups through the highlights of the area and answer their questions.',
      'Run the lift or ride safely, check passes and help guests on and off.',
      'Teach beginners and children in small groups, keeping safety first.',
      'Fit rental equipment, do basic repairs and keep the shop ready for the next wave of visitors.',
    ],
    perks: ['Free season pass.', 'Staff accommodation close to the slopes.', 'Tips from happy guests.', 'Training and certification paid.'],
    businessSuffixes: ['Tours', 'Adventures', 'Ski Resort', 'Experiences', 'Travel Co.'],
  },
  delivery: {
    weight: 7,
    titles: titles(
      'Delivery Driver', 'Bike Courier', 'Holiday Delivery Helper@holiday', 'Grocery Delivery Shopper',
      'Van Driver Assistant', 'Food Delivery Rider', 'Route Driver', 'Parcel Courier (Weekends)',
    ),
    skills: ["driver's license", 'navigation', 'customer service', 'cycling', 'time management', 'heavy lifting',
      'route planning', 'smartphone apps', 'clean driving record'],
    keywords: ['delivery', 'driver', 'courier', 'rider', 'van'],
    payPerHourUsd: [16, 26],
    remoteShare: 0,
    duties: [
      'Deliver parcels along a planned route and collect signatures on the app.',
      'Pick groceries carefully, bag them and drop them at customers’ doors on time.',
      'Ride between restaurants and customers, keeping food hot and deliveries quick.',
      'Help the driver load the van and carry heavier items to the door.',
    ],
    perks: ['Fuel card provided.', 'Keep 100% of your tips.', 'Choose your own delivery blocks.', 'E-bike provided.'],
    businessSuffixes: ['Couriers', 'Express', 'Delivery', 'Dispatch', 'Rapid'],
  },
  construction: {
    weight: 4,
    titles: titles(
      'General Labourer', "Carpenter's Helper", 'Roofing Assistant@summer', 'Painter', 'Landscaping Labourer@spring,summer',
      'Site Cleaner', 'Scaffolding Assistant', 'Snow Removal Operator@winter',
    ),
    skills: ['power tools', 'heavy lifting', 'carpentry', 'painting', 'health and safety', 'scaffolding', 'landscaping',
      'snow removal', 'reading plans', 'teamwork'],
    keywords: ['labourer', 'construction', 'painter', 'carpenter', 'landscaping', 'snow removal'],
    payPerHourUsd: [18, 32],
    remoteShare: 0,
    duties: [
      'Carry materials, clean up the site and help the trades with whatever the day needs.',
      'Prepare surfaces, paint interiors and exteriors and leave every room tidy.',
      'Clear snow from car parks and paths early in the morning before businesses open.',
      'Assist with roofing and scaffolding work under an experienced supervisor.',
    ],
    perks: ['Protective gear provided.', 'Overtime paid weekly.', 'A route to an apprenticeship.', 'Site lunches on Fridays.'],
    businessSuffixes: ['Builders', 'Construction', 'Contractors', 'Landscapes', 'Roofing'],
  },
  cleaning: {
    weight: 5,
    titles: titles(
      'Office Cleaner', 'Vacation Rental Cleaner@summer', 'Hotel Room Cleaner', 'Janitor (Evening)', 'Window Cleaner',
      'Deep Cleaning Technician', 'Post-Event Cleaner',
    ),
    skills: ['cleaning', 'housekeeping', 'laundry', 'attention to detail', 'chemical safety', 'time management',
      'floor care', 'reliability'],
    keywords: ['cleaner', 'cleaning', 'janitor', 'housekeeping'],
    payPerHourUsd: [14, 21],
    remoteShare: 0,
    duties: [
      'Clean offices and common areas to a checklist after the building closes.',
      'Turn over holiday rentals between guests: linen, kitchens, bathrooms and a final check.',
      'Deep clean kitchens and washrooms using professional equipment.',
      'Restock supplies and report anything broken or missing.',
    ],
    perks: ['Equipment and uniform provided.', 'Paid travel time between sites.', 'Fixed weekly schedule.'],
    businessSuffixes: ['Cleaning Services', 'Facility Care', 'Cleaners', 'Maintenance'],
  },
  childcare: {
    weight: 3,
    titles: titles(
      'Summer Camp Counselor@summer', 'Nanny', 'After-School Care Assistant', 'Babysitter', 'Daycare Assistant',
      'Holiday Club Leader@summer,holiday',
    ),
    skills: ['childcare', 'first aid', 'arts and crafts', 'sports coaching', 'patience', 'background check', 'cpr',
      'meal preparation', 'homework help'],
    keywords: ['childcare', 'nanny', 'camp counselor', 'babysitter', 'daycare'],
    payPerHourUsd: [14, 24],
    remoteShare: 0,
    duties: [
      'Plan and lead games, crafts and outdoor activities for groups of children.',
      'Pick children up from school, help with homework and prepare simple meals.',
      'Keep children safe and happy and keep parents informed at the end of each day.',
    ],
    perks: ['Paid first-aid training.', 'Free childcare for your own children.', 'Small groups and a supportive team.'],
    businessSuffixes: ['Kids Club', 'Childcare', 'Camps', 'Family Services'],
  },
  healthcare: {
    weight: 3,
    titles: titles(
      'Care Assistant', 'Home Care Aide', 'Hospital Porter', 'Flu Clinic Assistant@autumn', 'Pharmacy Assistant',
      'Patient Sitter',
    ),
    skills: ['patient care', 'first aid', 'cpr', 'empathy', 'record keeping', 'manual handling', 'hygiene',
      'medication reminders', 'communication'],
    keywords: ['care assistant', 'home care', 'porter', 'pharmacy', 'healthcare'],
    payPerHourUsd: [16, 26],
    remoteShare: 0.05,
    duties: [
      'Support residents with daily routines, meals and getting out and about.',
      'Move patients, equipment and samples around the hospital safely and on time.',
      'Greet patients, book appointments and keep the clinic running smoothly.',
    ],
    perks: ['Paid training and certification.', 'Mileage paid for home visits.', 'Pension and sick pay from day one.'],
    businessSuffixes: ['Care', 'Health', 'Clinic', 'Home Care', 'Medical Group'],
  },
  office: {
    weight: 3,
    titles: titles(
      'Receptionist', 'Data Entry Clerk', 'Tax Season Assistant@spring', 'Administrative Assistant', 'Mailroom Clerk',
      'Temp File Clerk', 'Scheduling Coordinator',
    ),
    skills: ['data entry', 'microsoft excel', 'typing', 'scheduling', 'filing', 'phone etiquette', 'bookkeeping',
      'attention to detail', 'google workspace'],
    keywords: ['receptionist', 'data entry', 'admin', 'office', 'clerk'],
    payPerHourUsd: [16, 26],
    remoteShare: 0.65,
    duties: [
      'Enter and check records accurately, hitting daily targets without cutting corners.',
      'Answer phones, greet visitors and manage the shared calendars.',
      'Prepare documents, file paperwork and help the team through its busiest season.',
    ],
    perks: ['Hybrid work after the first month.', 'Laptop provided.', 'Regular office hours, no weekends.'],
    businessSuffixes: ['Associates', 'Partners', 'Accounting', 'Services', 'Group'],
  },
  outdoor: {
    weight: 4,
    titles: titles(
      'Lifeguard@summer', 'Groundskeeper', 'Golf Course Attendant@spring,summer', 'Pool Attendant@summer',
      'Park Maintenance Worker', 'Snow Shoveler@winter', 'Gardener@spring,summer', 'Leaf Removal Crew@autumn',
    ),
    skills: ['swimming', 'lifeguard certification', 'first aid', 'cpr', 'gardening', 'mowing', 'landscaping',
      'snow removal', 'equipment maintenance', 'physical stamina'],
    keywords: ['lifeguard', 'groundskeeper', 'gardener', 'pool', 'park', 'golf'],
    payPerHourUsd: [14, 22],
    remoteShare: 0,
    duties: [
      'Watch over swimmers, enforce pool rules and respond calmly to emergencies.',
      'Mow, trim and plant to keep the grounds looking their best.',
      'Clear paths, rake leaves and look after equipment and outbuildings.',
    ],
    perks: ['Certification costs reimbursed.', 'Outdoor work all season.', 'Free access to the facilities.'],
    businessSuffixes: ['Parks & Recreation', 'Grounds Co.', 'Aquatics', 'Golf Club', 'Outdoor Services'],
  },
  food_service: {
    weight: 10,
    titles: titles(
      'Line Cook', 'Dishwasher', 'Ice Cream Scooper@summer', 'Food Truck Assistant@summer', 'Server', 'Kitchen Porter',
      'Pizza Maker', 'Prep Cook', 'Stadium Concessions Worker', 'Café Assistant', 'Crew Member',
    ),
    skills: ['food safety', 'food preparation', 'knife skills', 'cash handling', 'customer service', 'grill',
      'dishwashing', 'teamwork', 'speed', 'hygiene'],
    keywords: ['cook', 'server', 'kitchen', 'dishwasher', 'restaurant', 'cafe'],
    payPerHourUsd: [13, 20],
    remoteShare: 0,
    duties: [
      'Prep ingredients, cook to spec and keep your station clean through the rush.',
      'Take orders, serve tables and look after guests from arrival to the bill.',
      'Keep dishes and utensils flowing and the kitchen spotless at close.',
    ],
    perks: ['Free meal every shift.', 'Tips on top of the hourly rate.', 'Shift swaps through the app.'],
    businessSuffixes: ['Kitchen', 'Bistro', 'Eatery', 'Foods', 'Grill', 'Café'],
  },
  customer_service: {
    weight: 5,
    titles: titles(
      'Call Centre Agent', 'Holiday Returns Desk Associate@holiday', 'Customer Support Representative',
      'Help Desk Assistant', 'Chat Support Agent', 'Tax Season Call Agent@spring',
    ),
    skills: ['customer service', 'phone etiquette', 'crm software', 'typing', 'problem solving', 'multilingual',
      'live chat', 'complaint handling', 'patience'],
    keywords: ['customer service', 'call centre', 'support', 'help desk', 'chat'],
    payPerHourUsd: [15, 23],
    remoteShare: 0.75,
    duties: [
      'Answer customer calls and chats, solve problems and log every contact.',
      'Help customers with orders, returns and account questions.',
      'Escalate tricky cases to the right team and follow them up.',
    ],
    perks: ['Work from home equipment provided.', 'Paid training from day one.', 'Bonus for great customer ratings.'],
    businessSuffixes: ['Support', 'Contact Centre', 'CX', 'Services'],
  },
  security: {
    weight: 3,
    titles: titles(
      'Security Guard', 'Event Security Officer', 'Night Watch Guard', 'Door Supervisor', 'Patrol Officer',
      'Crowd Control Steward@summer',
    ),
    skills: ['security license', 'crowd management', 'first aid', 'cctv monitoring', 'report writing', 'conflict resolution',
      'radio communication', 'patrolling'],
    keywords: ['security', 'guard', 'door supervisor', 'steward'],
    payPerHourUsd: [16, 26],
    remoteShare: 0,
    duties: [
      'Patrol the site, check doors and report incidents clearly.',
      'Manage entry at busy venues and keep crowds safe and calm.',
      'Monitor CCTV and respond to alarms during the night.',
    ],
    perks: ['License fees reimbursed.', 'Uniform provided.', 'Night and weekend premiums.'],
    businessSuffixes: ['Security', 'Protection Services', 'Guarding', 'Safety Group'],
  },
  education: {
    weight: 2,
    titles: titles(
      'Tutor', 'Summer School Teaching Assistant@summer', 'Exam Invigilator@spring,summer', 'Language Assistant',
      'Swim Instructor@summer', 'Test Proctor',
    ),
    skills: ['tutoring', 'mathematics', 'english', 'lesson planning', 'patience', 'swimming', 'classroom management',
      'online teaching', 'multilingual'],
    keywords: ['tutor', 'teaching assistant', 'invigilator', 'instructor', 'language'],
    payPerHourUsd: [18, 35],
    remoteShare: 0.45,
    duties: [
      'Support students one to one or in small groups, in person or online.',
      'Supervise exams, hand out papers and make sure the rules are followed.',
      'Help the lead teacher prepare materials and run engaging lessons.',
    ],
    perks: ['Flexible hours around your studies.', 'Teaching materials provided.', 'Paid preparation time.'],
    businessSuffixes: ['Academy', 'Learning Centre', 'Tutors', 'School'],
  },
  manufacturing: {
    weight: 3,
    titles: titles(
      'Production Line Worker', 'Machine Operator', 'Quality Inspector', 'Assembly Worker', 'Food Processing Worker@autumn',
      'Packaging Operator', 'Cannery Worker@summer,autumn',
    ),
    skills: ['machine operation', 'assembly', 'quality control', 'packing', 'health and safety', 'attention to detail',
      'forklift', 'food safety', 'lean manufacturing'],
    keywords: ['production', 'machine operator', 'assembly', 'factory', 'manufacturing'],
    payPerHourUsd: [16, 25],
    remoteShare: 0,
    duties: [
      'Run and feed machines on the line, checking output against the spec.',
      'Assemble components, inspect finished goods and record defects.',
      'Pack products for shipping and keep your station clean and safe.',
    ],
    perks: ['Shift allowance for nights.', 'Canteen on site.', 'Overtime available most weeks.'],
    businessSuffixes: ['Manufacturing', 'Industries', 'Foods', 'Works', 'Packaging'],
  },
  transport: {
    weight: 3,
    titles: titles(
      'Shuttle Bus Driver@winter,summer', 'Ferry Deckhand@summer', 'Airport Baggage Handler', 'Valet Parking Attendant',
      'Ski Shuttle Driver@winter', 'Train Station Assistant',
    ),
    skills: ["driver's license", 'passenger service', 'heavy lifting', 'navigation', 'safety procedures', 'boat handling',
      'time management', 'clean driving record'],
    keywords: ['driver', 'shuttle', 'baggage', 'valet', 'deckhand', 'transport'],
    payPerHourUsd: [17, 30],
    remoteShare: 0,
    duties: [
      'Drive guests safely between the airport, hotels and the resort on a fixed timetable.',
      'Load and unload baggage and cargo quickly and carefully.',
      'Park and return vehicles and greet guests at the entrance.',
    ],
    perks: ['Free staff travel.', 'Uniform and safety gear provided.', 'Early-shift bonus.'],
    businessSuffixes: ['Transit', 'Shuttles', 'Transport', 'Ferries', 'Mobility'],
  },
  other: {
    weight: 1,
    titles: titles(
      'Mystery Shopper', 'Survey Interviewer', 'Election Poll Worker@autumn', 'Promotional Staff', 'Inventory Auditor',
      'Census Field Worker',
    ),
    skills: ['communication', 'attention to detail', 'report writing', 'smartphone apps', 'customer service',
      'reliability', 'data collection'],
    keywords: ['survey', 'mystery shopper', 'promotional', 'auditor'],
    payPerHourUsd: [13, 25],
    remoteShare: 0.4,
    duties: [
      'Visit shops and venues, follow a short brief and report what you saw.',
      'Interview people in the street or by phone and record their answers accurately.',
      'Count stock at client sites with a handheld scanner.',
    ],
    perks: ['Choose the assignments you want.', 'Expenses reimbursed.', 'Paid weekly.'],
    businessSuffixes: ['Research', 'Insights', 'Field Services', 'Staffing'],
  },
};

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
