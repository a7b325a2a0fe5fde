/**
 * Turns OpenAPI 3.0 Schema Objects into JSON Schema (draft-07) that ajv understands.
 * OpenAPI 3.0 differs from JSON Schema in a few keywords: `nullable`, the boolean form of
 * `exclusiveMinimum`/`exclusiveMaximum`, and annotation keywords ajv does not know.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type SchemaObject = { [key: string]: Json };

const DROPPED_KEYWORDS = new Set(['example', 'xml', 'externalDocs', 'discriminator']);

/** Rewrites a local `#/components/schemas/X` reference into a reference the ajv registry resolves. */
export type RefRewriter = (ref: string) => string;

/** Remembers where in the contract each produced schema object came from, to name it in violations. */
export type LocationRecorder = (schema: object, location: string) => void;

export function toJsonSchema(
  schema: Json,
  rewriteRef: RefRewriter,
  location = '',
  record: LocationRecorder = () => {},
): Json {
  if (Array.isArray(schema)) {
    return schema.map((item, i) => toJsonSchema(item, rewriteRef, `${location}/${i}`, record));
  }
  if (schema === null || typeof schema !== 'object') return schema;
  const out: SchemaObject = {};
  record(out, location);
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = rewriteRef(value);
    } else if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      // Property names are data, not keywords: never drop a property called "example".
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [
          name,
          toJsonSchema(sub, rewriteRef, `${location}/properties/${escapeToken(name)}`, record),
        ]),
      );
    } else {
      out[key] = toJsonSchema(value, rewriteRef, `${location}/${escapeToken(key)}`, record);
    }
  }
  convertExclusiveBound(out, 'exclusiveMinimum', 'minimum');
  convertExclusiveBound(out, 'exclusiveMaximum', 'maximum');
  if (out.nullable === true) makeNullable(out);
  delete out.nullable;
  return out;
}

function convertExclusiveBound(schema: SchemaObject, exclusive: string, bound: string): void {
  const flag = schema[exclusive];
  if (typeof flag !== 'boolean') return;
  if (flag && typeof schema[bound] === 'number') {
    schema[exclusive] = schema[bound];
    delete schema[bound];
  } else {
    delete schema[exclusive];
  }
}

function makeNullable(schema: SchemaObject): void {
  const type = schema.type;
  if (typeof type === 'string') schema.type = [type, 'null'];
  else if (Array.isArray(type) && !type.includes('null')) schema.type = [...type, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (schema.$ref !== undefined) {
    // A $ref ignores its siblings in draft-07, so null has to be allowed beside it.
    const ref = schema.$ref;
    delete schema.$ref;
    schema.anyOf = [{ $ref: ref }, { type: 'null' }];
  }
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
