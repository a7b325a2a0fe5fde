/** Bad input from the user (config, flags, certificates, contracts): one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = {
  conformant: 0,
  nonConformant: 1,
  usage: 2,
  unreachable: 3,
} as const;

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
