import { UsageError } from '../errors.ts';

export async function runCommand(_args: string[]): Promise<number> {
  throw new UsageError('"run" is not available yet in this version');
}
