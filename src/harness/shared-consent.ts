import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sleep } from './sleep.ts';

/** A consent for every worker of a run, or the reason it could not be made. */
type Shared<T> = { value: T } | { error: string };

const WAIT_MS = 120_000;
const POLL_MS = 50;

/**
 * Makes a value once for all worker processes of a run and shares it through the run's private folder:
 * the first worker to ask makes it under a lock, the others wait for its file. A failure is shared too,
 * so that every worker reports the same cause at once instead of trying again. Playwright starts a new
 * worker after every failed test, and each would otherwise approve a consent of its own in the browser.
 */
export async function sharedAcrossWorkers<T>(dir: string, key: string, make: () => Promise<T>): Promise<T> {
  const file = path.join(dir, `${key}.json`);
  const lock = path.join(dir, `${key}.lock`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (existsSync(file)) return unwrap(JSON.parse(readFileSync(file, 'utf8')) as Shared<T>);
    if (tryLock(lock)) {
      let shared: Shared<T>;
      try {
        shared = { value: await make() };
      } catch (error) {
        shared = { error: error instanceof Error ? error.message : String(error) };
      }
      const staged = `${file}.${process.pid}.tmp`;
      writeFileSync(staged, JSON.stringify(shared), { mode: 0o600 });
      renameSync(staged, file);
      rmSync(lock, { recursive: true, force: true });
      return unwrap(shared);
    }
    // A lock left by a worker that died while making the value is taken over.
    if (Date.now() > deadline || lockAge(lock) > WAIT_MS) rmSync(lock, { recursive: true, force: true });
    await sleep(POLL_MS);
  }
}

function unwrap<T>(shared: Shared<T>): T {
  if ('error' in shared) throw new Error(shared.error);
  return shared.value;
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function lockAge(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}
