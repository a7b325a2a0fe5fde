import { DEFAULT_CONTRACTS, PACKAGE_ROOT } from '../paths.ts';
import { Contract } from './contract.ts';
import { loadPrecompiled, writePrecompiled } from './precompiled.ts';

const cache = new Map<string, Contract>();

/** One compiled Contract per set of files for the whole process: compilation is the expensive part. */
export function loadContract(files: string[] = DEFAULT_CONTRACTS, baseDir: string = PACKAGE_ROOT): Contract {
  const key = `${baseDir}|${files.join('|')}`;
  let contract = cache.get(key);
  if (!contract) {
    contract = new Contract(files, baseDir);
    cache.set(key, contract);
  }
  return contract;
}

/**
 * Compiles every validator of the contracts into standalone code in the cache, so that later processes
 * validate from the first response on without compiling (a cold start otherwise compiles on first use).
 */
export function warmContractCache(
  files: string[] = DEFAULT_CONTRACTS,
  baseDir: string = PACKAGE_ROOT,
): boolean {
  const builder = new Contract(files, baseDir, { emitStandalone: true });
  if (loadPrecompiled(builder.cacheKey())) return true;
  return writePrecompiled(builder.cacheKey(), builder.standaloneChunks());
}
