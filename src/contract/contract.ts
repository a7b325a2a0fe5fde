import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { UsageError } from '../errors.ts';
import {
  type ContractDocument,
  getPointer,
  isObject,
  type Json,
  type JsonObject,
  loadDocument,
} from './document.ts';
import { toJsonSchema } from './openapi-schema.ts';
import {
  engineFingerprint,
  loadPrecompiled,
  type PrecompiledValidators,
  type StandaloneChunk,
} from './precompiled.ts';
import { escapePointerToken, type Violation, type ViolationPart } from './violation.ts';

// ajv is loaded on the first compile only: a process validating with cached standalone code never needs it.
const require = createRequire(import.meta.url);
const ajvModule = () => require('ajv') as typeof import('ajv');
const addFormats = (ajv: Ajv) => (require('ajv-formats') as typeof import('ajv-formats')).default(ajv);
const standaloneCode = (ajv: Ajv, refs: Record<string, string>) =>
  (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default(ajv, refs);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const ID_PREFIX = 'contract:';

export interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required: boolean;
  schema: Json;
  location: string;
}

export interface ResponseSpec {
  status: string;
  headers: Record<string, { required: boolean; schema: Json; location: string }>;
  /** media type -> schema (undefined schema: any body of that type) */
  content: Record<string, Json | undefined>;
  location: string;
}

export interface Operation {
  operationId: string;
  method: string;
  pathTemplate: string;
  service: string;
  reference: string;
  docId: string;
  location: string;
  parameters: Parameter[];
  requestBody: { required: boolean; content: Record<string, Json | undefined>; location: string } | undefined;
  responses: Record<string, ResponseSpec>;
}

export interface ResponseToCheck {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text; parsed here by its content type. */
  body: string;
}

export interface RequestToCheck {
  headers: Record<string, string | string[] | undefined>;
  query?: URLSearchParams;
  pathParams?: Record<string, string>;
  body?: string;
}

export interface OperationMatch {
  operation: Operation;
  pathParams: Record<string, string>;
}

interface PathMatcher {
  regex: RegExp;
  literalSegments: number;
  /** method -> the operation and its path parameter names (two templates of one shape may name them differently) */
  operations: Map<string, { operation: Operation; names: string[] }>;
}

/**
 * A set of OpenAPI 3.0 contracts with their validators. Validators are compiled on first use
 * per operation, status and media type, and cached for the life of the object.
 */
export class Contract {
  readonly operations = new Map<string, Operation>();
  private readonly documents = new Map<string, ContractDocument>();
  private readonly matchers: PathMatcher[] = [];
  /** Created on the first compile: with cached standalone validators a run may never need one. */
  private ajvs: { body: Ajv; param: Ajv } | undefined;
  private readonly emitStandalone: boolean;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly schemaLocations = new WeakMap<object, string>();
  private readonly recordLocation = (schema: object, location: string) =>
    this.schemaLocations.set(schema, location);

  /** Validators compiled ahead (the .cache/contracts module): a fast yes; a no is recompiled for its errors. */
  private precompiled: PrecompiledValidators | undefined;

  constructor(
    readonly files: string[],
    private readonly baseDir: string = process.cwd(),
    options: { emitStandalone?: boolean; precompiled?: boolean } = {},
  ) {
    this.emitStandalone = options.emitStandalone === true;
    for (const file of files) this.addDocument(path.resolve(baseDir, file));
    for (const doc of [...this.documents.values()]) this.indexOperations(doc);
    this.matchers.sort((a, b) => b.literalSegments - a.literalSegments);
    if (options.precompiled !== false && !options.emitStandalone) {
      this.precompiled = loadPrecompiled(this.cacheKey());
    }
  }

  /** Whether validators compiled ahead came from the cache (see warmContractCache). */
  get usesPrecompiled(): boolean {
    return this.precompiled !== undefined;
  }

  /** How many modules of precompiled validators this contract has loaded (one per operation used). */
  get precompiledModulesLoaded(): number {
    return this.precompiled?.modulesLoaded ?? 0;
  }

  /** What the contract's compiled validators depend on: its documents' texts and the engine. */
  cacheKey(): string {
    const hash = createHash('sha256').update(engineFingerprint());
    // Code-unit order: localeCompare would load ICU collation, a sixth of a cached start.
    const ids = [...this.documents.keys()].sort();
    for (const id of ids) hash.update(`${id}\0${this.documents.get(id)?.sha256}\0`);
    return hash.digest('hex');
  }

  /**
   * Compiles every validator of every operation (bodies, parameters, response headers) into standalone
   * code, a chunk per operation, for writePrecompiled. Only on a contract built with emitStandalone.
   */
  standaloneChunks(): StandaloneChunk[] {
    const bodyIds: Record<string, string> = {};
    const paramIds: Record<string, string> = {};
    const chunks: StandaloneChunk[] = [];
    for (const op of this.operations.values()) {
      const bodyRefs: Record<string, string> = {};
      const paramRefs: Record<string, string> = {};
      const body = (location: string, schema: Json) => {
        if (bodyIds[location]) return;
        const id = `standalone:${Object.keys(bodyIds).length}`;
        this.bodyAjv.addSchema({ ...(this.bodySchema(location, schema) as object), $id: id });
        bodyIds[location] = id;
        bodyRefs[location] = id;
      };
      const value = (location: string, schema: Json) => {
        const key = `value ${location}`;
        if (paramIds[key]) return;
        const id = `standalone:${Object.keys(paramIds).length}`;
        this.paramAjv.addSchema({ ...(this.valueSchema(location, schema) as object), $id: id });
        paramIds[key] = id;
        paramRefs[key] = id;
      };
      for (const param of op.parameters) value(param.location, param.schema);
      for (const [media, schema] of Object.entries(op.requestBody?.content ?? {})) {
        if (schema !== undefined)
          body(`${op.requestBody?.location}/content/${escapePointerToken(media)}/schema`, schema);
      }
      for (const spec of Object.values(op.responses)) {
        for (const header of Object.values(spec.headers)) value(header.location, header.schema);
        for (const [media, schema] of Object.entries(spec.content)) {
          if (schema !== undefined)
            body(`${spec.location}/content/${escapePointerToken(media)}/schema`, schema);
        }
      }
      chunks.push({
        body: standaloneCode(this.bodyAjv, bodyRefs),
        param: standaloneCode(this.paramAjv, paramRefs),
        bodyKeys: Object.keys(bodyRefs),
        paramKeys: Object.keys(paramRefs),
      });
    }
    return chunks;
  }

  hasOperation(operationId: string): boolean {
    return this.operations.has(operationId);
  }

  operation(operationId: string): Operation {
    const op = this.operations.get(operationId);
    if (!op) {
      throw new UsageError(
        `unknown operation "${operationId}": use one of ${[...this.operations.keys()].sort().join(', ')}`,
      );
    }
    return op;
  }

  /** Finds the operation a concrete request (method + path relative to the base URL) is for. */
  match(method: string, requestPath: string): OperationMatch | undefined {
    const pathname = requestPath.split('?')[0] ?? '';
    for (const matcher of this.matchers) {
      const found = matcher.regex.exec(pathname);
      if (!found) continue;
      const entry = matcher.operations.get(method.toLowerCase());
      if (!entry) continue;
      const pathParams: Record<string, string> = {};
      entry.names.forEach((name, i) => {
        pathParams[name] = decodeURIComponent(found[i + 1] ?? '');
      });
      return { operation: entry.operation, pathParams };
    }
    return undefined;
  }

  /** Is there any operation at this path, whatever the method? (for 405 decisions) */
  pathExists(requestPath: string): boolean {
    const pathname = requestPath.split('?')[0] ?? '';
    return this.matchers.some((m) => m.regex.test(pathname));
  }

  validateResponse(operationId: string, response: ResponseToCheck): Violation[] {
    const op = this.operation(operationId);
    const spec = findResponse(op, response.status);
    if (!spec) {
      return [
        {
          part: 'status',
          pointer: '',
          message: `HTTP ${response.status} is not a declared response of ${op.operationId} (declared: ${Object.keys(op.responses).join(', ')})`,
          contractLocation: `${op.location}/responses`,
        },
      ];
    }
    const headers = lowerCaseHeaders(response.headers);
    const violations: Violation[] = [];
    for (const [name, header] of Object.entries(spec.headers)) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) {
          violations.push({
            part: 'header',
            pointer: `/${name}`,
            message: `required response header ${name} is missing`,
            contractLocation: header.location,
          });
        }
        continue;
      }
      violations.push(...this.checkValue('header', name, value, header.schema, header.location));
    }
    violations.push(
      ...this.checkBody(spec.content, headers['content-type'], response.body, spec.location, false),
    );
    return violations;
  }

  validateRequest(operationId: string, request: RequestToCheck): Violation[] {
    const op = this.operation(operationId);
    const headers = lowerCaseHeaders(request.headers);
    const violations: Violation[] = [];
    for (const param of op.parameters) {
      let value: string | undefined;
      if (param.in === 'header') value = headers[param.name.toLowerCase()];
      else if (param.in === 'query') value = request.query?.get(param.name) ?? undefined;
      else if (param.in === 'path' && request.pathParams) value = request.pathParams[param.name];
      else continue;
      const part: ViolationPart = param.in;
      if (value === undefined) {
        if (param.required) {
          violations.push({
            part,
            pointer: `/${param.name}`,
            message: `required ${param.in} parameter ${param.name} is missing`,
            contractLocation: param.location,
          });
        }
        continue;
      }
      violations.push(...this.checkValue(part, param.name, value, param.schema, param.location));
    }
    if (op.requestBody) {
      const body = request.body ?? '';
      if (body.length === 0) {
        if (op.requestBody.required) {
          violations.push({
            part: 'body',
            pointer: '',
            message: 'the request body is required',
            contractLocation: op.requestBody.location,
          });
        }
      } else {
        violations.push(
          ...this.checkBody(
            op.requestBody.content,
            headers['content-type'],
            body,
            op.requestBody.location,
            true,
          ),
        );
      }
    }
    return violations;
  }

  /** Validates a parsed body against one media type of a response, with no header or status checks. */
  validateResponseBody(operationId: string, status: number, mediaType: string, body: unknown): Violation[] {
    const op = this.operation(operationId);
    const spec = findResponse(op, status);
    if (!spec) return this.validateResponse(operationId, { status, headers: {}, body: '' });
    const schema = spec.content[mediaType];
    if (schema === undefined) return [];
    return this.runSchema(`${spec.location}/content/${escapePointerToken(mediaType)}/schema`, schema, body);
  }

  private checkBody(
    content: Record<string, Json | undefined>,
    contentTypeHeader: string | undefined,
    body: string,
    location: string,
    isRequest: boolean,
  ): Violation[] {
    const mediaTypes = Object.keys(content);
    const what = isRequest ? 'request' : 'response';
    if (mediaTypes.length === 0) return [];
    if (body.length === 0) {
      if (isRequest) return [];
      return [
        {
          part: 'body',
          pointer: '',
          message: `the ${what} has no body; the contract declares ${mediaTypes.join(' or ')}`,
          contractLocation: `${location}/content`,
        },
      ];
    }
    const mediaType = (contentTypeHeader ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!mediaTypes.includes(mediaType)) {
      return [
        {
          part: 'content-type',
          pointer: '',
          message: `Content-Type "${contentTypeHeader ?? '(none)'}" is not declared; expected ${mediaTypes.join(' or ')}`,
          contractLocation: `${location}/content`,
        },
      ];
    }
    const schema = content[mediaType];
    const schemaLocation = `${location}/content/${escapePointerToken(mediaType)}/schema`;
    let parsed: unknown;
    if (mediaType === 'application/x-www-form-urlencoded') {
      parsed = Object.fromEntries(new URLSearchParams(body));
    } else if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
      try {
        parsed = JSON.parse(body);
      } catch (error) {
        return [
          {
            part: 'body',
            pointer: '',
            message: `the ${what} body is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
            contractLocation: schemaLocation,
          },
        ];
      }
    } else {
      return [];
    }
    if (schema === undefined) return [];
    return this.runSchema(schemaLocation, schema, parsed);
  }

  private checkValue(
    part: ViolationPart,
    name: string,
    value: string,
    schema: Json,
    location: string,
  ): Violation[] {
    const key = `value ${location}`;
    let validate = this.validators.get(key);
    const holder = { value };
    if (!validate) {
      if (this.precompiled?.check('param', key)?.({ value })) return [];
      validate = this.compile(this.paramAjv, this.valueSchema(location, schema));
      this.validators.set(key, validate);
    }
    if (validate(holder)) return [];
    return (validate.errors ?? []).map((error) => ({
      part,
      pointer: `/${name}`,
      message: `${JSON.stringify(value).slice(0, 80)} ${describeError(error)}`,
      contractLocation: this.contractLocationOf(error, `${location}/schema`),
    }));
  }

  private valueSchema(location: string, schema: Json): Json {
    const docId = location.split('#')[0] ?? '';
    return {
      type: 'object',
      properties: {
        value: toJsonSchema(schema, this.refRewriter(docId), `${location}/schema`, this.recordLocation),
      },
    };
  }

  private bodySchema(schemaLocation: string, schema: Json): Json {
    const docId = schemaLocation.split('#')[0] ?? '';
    return toJsonSchema(schema, this.refRewriter(docId), schemaLocation, this.recordLocation);
  }

  private runSchema(schemaLocation: string, schema: Json, data: unknown): Violation[] {
    let validate = this.validators.get(schemaLocation);
    if (!validate) {
      // The cached standalone code answers a valid body without compiling; errors need the real
      // validator, whose error objects carry the schema locations the violations cite.
      if (this.precompiled?.check('body', schemaLocation)?.(data)) return [];
      validate = this.compile(this.bodyAjv, this.bodySchema(schemaLocation, schema));
      this.validators.set(schemaLocation, validate);
    }
    if (validate(data)) return [];
    return (validate.errors ?? []).map((error) => ({
      part: 'body',
      pointer: errorPointer(error),
      message: describeError(error),
      contractLocation: this.contractLocationOf(error, schemaLocation),
    }));
  }

  private compile(ajv: Ajv, schema: Json): ValidateFunction {
    try {
      return ajv.compile(schema as object);
    } catch (error) {
      throw new UsageError(
        `contract schema cannot be compiled: ${error instanceof Error ? error.message : error}`,
      );
    }
  }

  private contractLocationOf(error: ErrorObject, fallback: string): string {
    const parent = error.parentSchema ? this.schemaLocations.get(error.parentSchema) : undefined;
    return `${parent ?? fallback}/${error.keyword}`;
  }

  private refRewriter(docId: string): (ref: string) => string {
    return (ref: string) => {
      const [file, pointer = ''] = ref.split('#');
      const targetId = file ? this.resolveDocId(docId, file) : docId;
      const schemaName = /^\/components\/schemas\/(.+)$/.exec(pointer);
      if (schemaName) return `${ID_PREFIX}${targetId}#/definitions/${schemaName[1]}`;
      throw new UsageError(`contract ${docId}: $ref "${ref}" must point to #/components/schemas/...`);
    };
  }

  private resolveDocId(fromId: string, file: string): string {
    const absolute = path.resolve(this.baseDir, path.dirname(fromId), file);
    return path.relative(this.baseDir, absolute).split(path.sep).join('/');
  }

  private addDocument(file: string): ContractDocument {
    const id = path.relative(this.baseDir, file).split(path.sep).join('/');
    const existing = this.documents.get(id);
    if (existing) return existing;
    const doc = loadDocument(file, this.baseDir);
    this.documents.set(doc.id, doc);
    this.loadReferencedDocuments(doc, doc.root);
    return doc;
  }

  private get bodyAjv(): Ajv {
    return this.ajvInstances().body;
  }

  private get paramAjv(): Ajv {
    return this.ajvInstances().param;
  }

  private ajvInstances(): { body: Ajv; param: Ajv } {
    if (!this.ajvs) {
      const body = newAjv(false, this.emitStandalone);
      const param = newAjv(true, this.emitStandalone);
      for (const doc of this.documents.values()) {
        const registry = this.registryOf(doc);
        body.addSchema(registry);
        param.addSchema(registry);
      }
      this.ajvs = { body, param };
    }
    return this.ajvs;
  }

  /** A document's component schemas as JSON Schema definitions, for $refs between schemas. */
  private registryOf(doc: ContractDocument): JsonObject {
    const components = isObject(doc.root.components) ? doc.root.components : {};
    const schemas = isObject(components.schemas) ? components.schemas : {};
    const definitions = Object.fromEntries(
      Object.entries(schemas).map(([name, schema]) => [
        name,
        toJsonSchema(
          schema,
          this.refRewriter(doc.id),
          `${doc.id}#/components/schemas/${escapePointerToken(name)}`,
          this.recordLocation,
        ),
      ]),
    );
    return { $id: `${ID_PREFIX}${doc.id}`, definitions } as JsonObject;
  }

  private loadReferencedDocuments(doc: ContractDocument, node: Json): void {
    if (Array.isArray(node)) {
      for (const item of node) this.loadReferencedDocuments(doc, item);
    } else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
          const file = value.split('#')[0] ?? '';
          this.addDocument(path.resolve(this.baseDir, path.dirname(doc.id), file));
        } else {
          this.loadReferencedDocuments(doc, value);
        }
      }
    }
  }

  /** Follows a (possibly cross-file) $ref to a parameter, response or header object. */
  private deref(
    docId: string,
    node: Json | undefined,
    location: string,
  ): { node: JsonObject; location: string } {
    let currentDoc = docId;
    let current = node;
    let currentLocation = location;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 20) throw new UsageError(`contract ${docId}: $ref loop at ${location}`);
      const [file, pointer = ''] = current.$ref.split('#');
      if (file) currentDoc = this.resolveDocId(currentDoc, file);
      const doc = this.documents.get(currentDoc);
      current = doc ? getPointer(doc.root, pointer) : undefined;
      currentLocation = `${currentDoc}#${pointer}`;
      if (current === undefined)
        throw new UsageError(`contract ${docId}: $ref "${file}#${pointer}" does not resolve`);
    }
    if (!isObject(current)) throw new UsageError(`contract ${docId}: ${location} is not an object`);
    return { node: current, location: currentLocation };
  }

  private indexOperations(doc: ContractDocument): void {
    const paths = doc.root.paths as JsonObject;
    for (const [pathTemplate, pathItemRaw] of Object.entries(paths)) {
      if (!isObject(pathItemRaw)) continue;
      const pathLocation = `${doc.id}#/paths/${escapePointerToken(pathTemplate)}`;
      const shared = asArray(pathItemRaw.parameters);
      const { matcher, names } = this.matcherFor(pathTemplate);
      for (const method of HTTP_METHODS) {
        const opRaw = pathItemRaw[method];
        if (!isObject(opRaw)) continue;
        const location = `${pathLocation}/${method}`;
        const operationId =
          typeof opRaw.operationId === 'string' ? opRaw.operationId : `${method} ${pathTemplate}`;
        if (this.operations.has(operationId)) {
          throw new UsageError(`contract ${doc.id}: operationId "${operationId}" is declared twice`);
        }
        const operation: Operation = {
          operationId,
          method,
          pathTemplate,
          service:
            typeof opRaw['x-service'] === 'string'
              ? opRaw['x-service']
              : String(asArray(opRaw.tags)[0] ?? ''),
          reference: typeof opRaw['x-reference'] === 'string' ? opRaw['x-reference'] : '',
          docId: doc.id,
          location,
          parameters: this.parameters(doc.id, shared, asArray(opRaw.parameters), pathLocation, location),
          requestBody: this.requestBody(doc.id, opRaw.requestBody, `${location}/requestBody`),
          responses: this.responses(doc.id, opRaw.responses, `${location}/responses`),
        };
        this.operations.set(operationId, operation);
        matcher.operations.set(method, { operation, names });
      }
    }
  }

  private matcherFor(pathTemplate: string): { matcher: PathMatcher; names: string[] } {
    const names: string[] = [];
    let literalSegments = 0;
    const pattern = pathTemplate
      .split('/')
      .map((segment) => {
        const param = /^\{(.+)\}$/.exec(segment);
        if (param) {
          names.push(param[1] ?? '');
          return '([^/]+)';
        }
        if (segment) literalSegments++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    const regex = new RegExp(`^${pattern}/?$`);
    let matcher = this.matchers.find((m) => m.regex.source === regex.source);
    if (!matcher) {
      matcher = { regex, literalSegments, operations: new Map() };
      this.matchers.push(matcher);
    }
    return { matcher, names };
  }

  private parameters(
    docId: string,
    shared: Json[],
    own: Json[],
    pathLocation: string,
    opLocation: string,
  ): Parameter[] {
    const byKey = new Map<string, Parameter>();
    const add = (list: Json[], base: string) => {
      list.forEach((raw, i) => {
        const { node, location } = this.deref(docId, raw, `${base}/parameters/${i}`);
        const name = String(node.name);
        const where = String(node.in) as Parameter['in'];
        byKey.set(`${where}:${name.toLowerCase()}`, {
          name,
          in: where,
          required: node.required === true,
          schema: node.schema ?? {},
          location,
        });
      });
    };
    add(shared, pathLocation);
    add(own, opLocation);
    return [...byKey.values()];
  }

  private requestBody(docId: string, raw: Json | undefined, location: string): Operation['requestBody'] {
    if (raw === undefined) return undefined;
    const resolved = this.deref(docId, raw, location);
    return {
      required: resolved.node.required === true,
      content: mediaSchemas(resolved.node.content),
      location: resolved.location,
    };
  }

  private responses(docId: string, raw: Json | undefined, location: string): Record<string, ResponseSpec> {
    const out: Record<string, ResponseSpec> = {};
    if (!isObject(raw)) return out;
    for (const [status, responseRaw] of Object.entries(raw)) {
      const resolved = this.deref(docId, responseRaw, `${location}/${status}`);
      const headers: ResponseSpec['headers'] = {};
      if (isObject(resolved.node.headers)) {
        for (const [name, headerRaw] of Object.entries(resolved.node.headers)) {
          const header = this.deref(
            resolved.location.split('#')[0] ?? docId,
            headerRaw,
            `${resolved.location}/headers/${escapePointerToken(name)}`,
          );
          headers[name] = {
            required: header.node.required === true,
            schema: header.node.schema ?? {},
            location: header.location,
          };
        }
      }
      out[status] = {
        status,
        headers,
        content: mediaSchemas(resolved.node.content),
        location: resolved.location,
      };
    }
    return out;
  }
}

function newAjv(coerceTypes: boolean, emitStandalone: boolean): Ajv {
  const { Ajv, _ } = ajvModule();
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    verbose: true,
    coerceTypes,
    logger: false,
    validateFormats: true,
    ...(emitStandalone
      ? { code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } }
      : {}),
  });
  addFormats(ajv);
  return ajv;
}

function mediaSchemas(content: Json | undefined): Record<string, Json | undefined> {
  if (!isObject(content)) return {};
  return Object.fromEntries(
    Object.entries(content).map(([media, value]) => [
      media.toLowerCase(),
      isObject(value) ? value.schema : undefined,
    ]),
  );
}

function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

export function findResponse(op: Operation, status: number): ResponseSpec | undefined {
  return op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
}

export function lowerCaseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function errorPointer(error: ErrorObject): string {
  if (error.keyword === 'required') {
    return `${error.instancePath}/${escapePointerToken(String(error.params.missingProperty))}`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${escapePointerToken(String(error.params.additionalProperty))}`;
  }
  return error.instancePath;
}

function describeError(error: ErrorObject): string {
  const got = error.data === undefined ? '' : `, got ${preview(error.data)}`;
  switch (error.keyword) {
    case 'required':
      return 'is required but missing';
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'type':
      return `must be of type ${error.params.type}${got}`;
    case 'pattern':
      return `must match ${error.params.pattern}${got}`;
    case 'format':
      return `must be a valid ${error.params.format}${got}`;
    default:
      return `${error.message ?? error.keyword}${got}`;
  }
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // A hostile body nests deeper than JSON.stringify recurses: describe it rather than fail on it.
    return Array.isArray(value)
      ? '[an array nested too deeply to show]'
      : '(a value nested too deeply to show)';
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
