// The shape of an index as the mappings describe it, owned here so that the
// index definitions need nothing from the engine client that sends them.

export type JsonObject = Record<string, unknown>;

/** Body of a create-index request. */
export interface IndexDefinition {
  settings?: JsonObject;
  mappings?: JsonObject;
  aliases?: Record<string, JsonObject>;
}
