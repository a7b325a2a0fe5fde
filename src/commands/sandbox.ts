import { UsageError } from '../errors.ts';

export async function sandboxCommand(_args: string[]): Promise<number> {
  throw new UsageError('"sandbox" is not available yet in this version');
}
