// How responses are written. `checked` encodes each body through its zod
// schema first (a body that breaks its contract is a 500), which costs a full
// copy of every response: the tests run that way so contract drift fails them.
// `fast` compiles each route's response schema, as JSON Schema, with
// fast-json-stringify (fastify's own serializer): the same fields, no copy.
// A schema JSON Schema cannot express (a transform) keeps the checked path.
import fastJson from 'fast-json-stringify';
import type { Schema } from 'fast-json-stringify';
import { serializerCompiler as checkedSerializer } from 'fastify-type-provider-zod';
import { z } from 'zod';

export const responseSerializations = ['checked', 'fast'] as const;
export type ResponseSerialization = (typeof responseSerializations)[number];

type SerializerCompiler = Parameters<typeof checkedSerializer>[0];

/** The serializer compiler for fastify's setSerializerCompiler. */
export function responseSerializer(mode: ResponseSerialization): (route: SerializerCompiler) => (data: unknown) => string {
  if (mode === 'checked') return checkedSerializer;
  return (route) => {
    const schema = route.schema as unknown;
    if (!(schema instanceof z.ZodType)) return checkedSerializer(route);
    let json: Schema;
    try {
      json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' }) as Schema;
    } catch {
      return checkedSerializer(route);
    }
    return fastJson(json);
  };
}
