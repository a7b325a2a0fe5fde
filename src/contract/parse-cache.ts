import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.ts';

/** Bump when what is cached changes shape. */
const CACHE_FORMAT = 'parsed-yaml-1';

const require = createRequire(import.meta.url);

/**
 * Parses a contract's YAML, or reads its parse from the cache: YAML parsing is most of a cold start
 * (half a second for the Berlin Group contract), JSON.parse of the same tree a few milliseconds.
 * The key is the text's SHA-256, so an edited contract is parsed afresh. PSD2_CONTRACT_CACHE names
 * another folder, or "off".
 */
export function parseYamlCached(text: string, parse: (text: string) => unknown = parseYaml): unknown {
  const dir = contractCacheDir();
  if (!dir) return parse(text);
  const key = createHash('sha256').update(CACHE_FORMAT).update('\0').update(text).digest('hex');
  const file = path.join(dir, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Not cached yet (or damaged): parse, and cache what parsed.
  }
  const parsed = parse(text);
  try {
    mkdirSync(dir, { recursive: true });
    const staged = `${file}.${process.pid}.tmp`;
    writeFileSync(staged, JSON.stringify(parsed));
    renameSync(staged, file);
  } catch {
    // A read-only installation still works, only slower to start.
  }
  return parsed;
}

/** The contract cache's folder (parsed YAML and compiled validators), or undefined when switched off. */
export function contractCacheDir(): string | undefined {
  const configured = process.env.PSD2_CONTRACT_CACHE;
  if (configured === 'off') return undefined;
  return configured ?? path.join(PACKAGE_ROOT, '.cache', 'contracts');
}

/** Loaded on a cache miss only: the YAML parser is itself a tenth of a second to import. */
function parseYaml(text: string): unknown {
  const { parse } = require('yaml') as typeof import('yaml');
  return parse(text, { maxAliasCount: 100 });
}
