import { DEFAULT_CONTRACTS, PACKAGE_ROOT } from '../paths.ts';
import { Contract } from './contract.ts';

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
