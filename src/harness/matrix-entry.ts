import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { declareTests, matrixDeclarations } from '../checks/check.ts';
import { PACKAGE_ROOT } from '../paths.ts';

let specsLoaded: Promise<void> | undefined;

/** Every spec of the suite, loaded once per process: their checks record themselves (src/checks/check.ts). */
function loadSpecs(): Promise<void> {
  specsLoaded ??= (async () => {
    const specs = path.join(PACKAGE_ROOT, 'specs');
    const files = readdirSync(specs, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.spec.ts'))
      .sort();
    for (const file of files) await import(pathToFileURL(path.join(specs, file)).href);
  })();
  return specsLoaded;
}

/**
 * Declares one part of a fault-matrix run: each of the run's generated test files
 * (scripts/fault-matrix.ts) declares the part of the run's tests its number names.
 */
export async function declareMatrixPart(part: number, parts: number): Promise<void> {
  await loadSpecs();
  const all = matrixDeclarations();
  const size = Math.ceil(all.length / parts);
  declareTests(all.slice(part * size, (part + 1) * size));
}
