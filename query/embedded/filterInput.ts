import type { MapCap } from '../model/readStore.ts';
import type { BBox, FilterInput, MapRequest, SearchRequest } from '../model/searchRequest.ts';

export type SearchInput = FilterInput & Partial<Pick<SearchRequest, 'sort' | 'size' | 'cursor' | 'facets' | 'highlight'>>;
export type MapInput = FilterInput & { bbox: BBox; zoom: number; maxCells?: number };

/** What the map of the store answers: the HTTP request, or the same as a caller may give it. */
export type MapQuery = (MapRequest & MapCap) | MapInput;
