import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contractCacheDir } from './parse-cache.ts';

/** Bump when the generated code or its keys change shape. */
const STANDALONE_FORMAT = 'standalone-validators-1';

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

/** Validators by their key in Contract: body schema locations, and "value <location>" for parameters and headers. */
export interface PrecompiledValidators {
  body: Record<string, Check>;
  param: Record<string, Check>;
}

function fileFor(key: string, part: 'body' | 'param'): string | undefined {
  const dir = contractCacheDir();
  return dir ? path.join(dir, `validators-${key}-${part}.cjs`) : undefined;
}

/** The contract's standalone validators from the cache, if `psd2-conformance validate --warm` (or a run) wrote them. */
export function loadPrecompiled(key: string): PrecompiledValidators | undefined {
  const body = fileFor(key, 'body');
  const param = fileFor(key, 'param');
  if (!body || !param || !existsSync(body) || !existsSync(param)) return undefined;
  try {
    return { body: require(body) as Record<string, Check>, param: require(param) as Record<string, Check> };
  } catch {
    // A damaged or foreign cache file: validate the slow way.
    return undefined;
  }
}

/**
 * Writes the standalone code of a contract's validators to the cache. The runtime helpers the code
 * requires are pinned to this installation's absolute paths, so the cache folder may live anywhere.
 */
export function writePrecompiled(key: string, modules: { body: string; param: string }): boolean {
  const dir = contractCacheDir();
  if (!dir) return false;
  try {
    mkdirSync(dir, { recursive: true });
    for (const part of ['body', 'param'] as const) {
      const file = fileFor(key, part) as string;
      const code = modules[part].replace(
        /require\("([^"]+)"\)/g,
        (_match, id: string) => `require(${JSON.stringify(require.resolve(id))})`,
      );
      const staged = `${file}.${process.pid}.tmp`;
      writeFileSync(staged, code);
      renameSync(staged, file);
    }
    return true;
  } catch {
    return false;
  }
}
