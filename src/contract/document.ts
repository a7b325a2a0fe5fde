import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { parseYamlCached } from './parse-cache.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One loaded contract file, addressed by its path relative to the project (its "id"). */
export interface ContractDocument {
  id: string;
  file: string;
  root: JsonObject;
  /** SHA-256 of the file's text: what the compiled-validator cache is keyed on. */
  sha256: string;
}

export function loadDocument(file: string, baseDir: string): ContractDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`contract ${file} cannot be read: check the path`);
  }
  let root: unknown;
  try {
    root = parseYamlCached(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`contract ${file} is not valid YAML: ${reason}`);
  }
  if (!isObject(root) || typeof root.openapi !== 'string' || !root.openapi.startsWith('3.0')) {
    throw new UsageError(`contract ${file} is not an OpenAPI 3.0 document: it needs "openapi: 3.0.x"`);
  }
  if (!isObject(root.paths)) {
    throw new UsageError(`contract ${file} has no "paths" object`);
  }
  const id = path.relative(baseDir, file).split(path.sep).join('/');
  return { id, file, root, sha256: createHash('sha256').update(text).digest('hex') };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getPointer(root: Json, pointer: string): Json | undefined {
  if (pointer === '' || pointer === '#') return root;
  const tokens = pointer.replace(/^#?\//, '').split('/');
  let node: Json | undefined = root;
  for (const raw of tokens) {
    const token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
  }
  return node;
}
