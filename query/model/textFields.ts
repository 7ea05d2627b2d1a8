/**
 * The fields free text is searched in and their boosts, for both stores: the
 * engine's multi_match and the embedded BM25 index weigh a term the same.
 * `engineField` is the analyzed field of the engine's mapping.
 */
export const textFields = [
  { name: 'title', engineField: 'title', boost: 3 },
  { name: 'skills', engineField: 'skills.text', boost: 2 },
  { name: 'description', engineField: 'description', boost: 1 },
] as const;
export type TextFieldName = (typeof textFields)[number]['name'];
