import { UsageError } from '../errors.ts';

export async function reportCommand(_args: string[]): Promise<number> {
  throw new UsageError('"report" is not available yet in this version');
}
