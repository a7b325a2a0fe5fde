import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root folder, whatever the current directory is. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_CONTRACTS = ['openapi/xs2a.yaml', 'openapi/oauth2.yaml'];

export function packagePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
