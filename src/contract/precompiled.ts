import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import { contractCacheDir } from './parse-cache.ts';

/** Bump when the generated code or its keys change shape. */
const STANDALONE_FORMAT = 'standalone-validators-2';

const require = createRequire(import.meta.url);

let fingerprint: string | undefined;

/**
 * What compiled code depends on besides the contracts: the engine that turns OpenAPI into JSON Schema
 * and the ajv that compiles it. An edited engine or another ajv never reads validators compiled before.
 */
export function engineFingerprint(): string {
  if (!fingerprint) {
    const hash = createHash('sha256').update(STANDALONE_FORMAT);
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const file of ['contract.ts', 'openapi-schema.ts', 'precompiled.ts'])
      hash.update(readFileSync(path.join(here, file)));
    hash.update((require('ajv/package.json') as { version: string }).version);
    fingerprint = hash.digest('hex');
  }
  return fingerprint;
}

type Check = (data: unknown) => boolean;
type Part = 'body' | 'param';

/** The standalone code of one chunk (an operation's validators): body schemas and parameter/header values. */
export interface StandaloneChunk {
  body: string;
  param: string;
  /** Validator keys in this chunk: body schema locations, and "value <location>" for parameters and headers. */
  bodyKeys: string[];
  paramKeys: string[];
}

interface Manifest {
  format: string;
  body: Record<string, number>;
  param: Record<string, number>;
}

/**
 * Validators compiled ahead, one module per operation, each required on its first use: a process
 * loads the code of the operations it validates, not the whole contract's.
 */
export class PrecompiledValidators {
  private readonly chunks = new Map<number, Record<Part, Record<string, Check>> | null>();

  constructor(
    private readonly dir: string,
    private readonly manifest: Manifest,
  ) {}

  get modulesLoaded(): number {
    return [...this.chunks.values()].filter((chunk) => chunk !== null).length;
  }

  /** The validator compiled ahead for a key, or undefined (not in the cache, or its module unreadable). */
  check(part: Part, key: string): Check | undefined {
    const chunk = this.manifest[part][key];
    if (chunk === undefined) return undefined;
    return this.chunk(chunk)?.[part][key];
  }

  private chunk(index: number): Record<Part, Record<string, Check>> | null {
    let loaded = this.chunks.get(index);
    if (loaded === undefined) {
      try {
        loaded = evaluateModule(path.join(this.dir, `${index}.cjs`)) as Record<Part, Record<string, Check>>;
      } catch {
        // A damaged cache file: this operation validates the slow way.
        loaded = null;
      }
      this.chunks.set(index, loaded);
    }
    return loaded;
  }
}

/**
 * Runs a cached CommonJS module without `require`: a test runner that hooks `require` (Playwright
 * transforms every file it loads outside node_modules) would otherwise transpile the generated code
 * again in every worker, which cost more than validating with it.
 */
function evaluateModule(file: string): unknown {
  const module = { exports: {} as unknown };
  compileFunction(readFileSync(file, 'utf8'), ['module', 'exports', 'require'], { filename: file })(
    module,
    module.exports,
    require,
  );
  return module.exports;
}

function folderFor(key: string): string | undefined {
  const dir = contractCacheDir();
  return dir ? path.join(dir, `validators-${key}`) : undefined;
}

/** The contract's validators compiled ahead, if a run (warmContractCache in its global setup) wrote them. */
export function loadPrecompiled(key: string): PrecompiledValidators | undefined {
  const folder = folderFor(key);
  if (!folder) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8')) as Manifest;
    if (manifest.format !== STANDALONE_FORMAT) return undefined;
    return new PrecompiledValidators(folder, manifest);
  } catch {
    return undefined;
  }
}

/** One CommonJS module exporting { body, param }, each ajv standalone module in its own scope. */
function chunkModule(chunk: StandaloneChunk): string {
  // The runtime helpers the code requires are pinned to this installation's absolute paths, so the
  // cache folder may live anywhere.
  const pinned = (code: string) =>
    code.replace(
      /require\("([^"]+)"\)/g,
      (_match, id: string) => `require(${JSON.stringify(require.resolve(id))})`,
    );
  const scoped = (code: string) => `(() => {\nconst exports = {};\n${pinned(code)}\nreturn exports;\n})()`;
  return `"use strict";\nmodule.exports = {\nbody: ${scoped(chunk.body)},\nparam: ${scoped(chunk.param)}\n};\n`;
}

/**
 * Writes a contract's validators to the cache: a module per chunk and an index of which key is in
 * which, staged in a private folder and renamed into place whole, so a reader sees all or nothing.
 */
export function writePrecompiled(key: string, chunks: StandaloneChunk[]): boolean {
  const folder = folderFor(key);
  if (!folder) return false;
  if (existsSync(path.join(folder, 'index.json'))) return true;
  const staged = `${folder}.${process.pid}.tmp`;
  try {
    rmSync(staged, { recursive: true, force: true });
    mkdirSync(staged, { recursive: true });
    const manifest: Manifest = { format: STANDALONE_FORMAT, body: {}, param: {} };
    chunks.forEach((chunk, index) => {
      writeFileSync(path.join(staged, `${index}.cjs`), chunkModule(chunk));
      for (const k of chunk.bodyKeys) manifest.body[k] = index;
      for (const k of chunk.paramKeys) manifest.param[k] = index;
    });
    writeFileSync(path.join(staged, 'index.json'), JSON.stringify(manifest));
    renameSync(staged, folder);
    return true;
  } catch {
    rmSync(staged, { recursive: true, force: true });
    // Another process may have put the same validators in place first.
    return existsSync(path.join(folder, 'index.json'));
  }
}
