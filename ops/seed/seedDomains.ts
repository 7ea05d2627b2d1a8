/**
 * Sub-seed domains for deriveSeed, one per kind of draw. Kept side by side so
 * they stay distinct: two kinds sharing a domain would draw correlated values.
 */
export const DOMAIN_JOB = 1;
export const DOMAIN_BUSINESS = 2;
export const DOMAIN_WORKER = 3;
export const DOMAIN_SEARCH_ALLOCATION = 4;
