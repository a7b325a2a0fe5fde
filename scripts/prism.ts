/**
 * Stoplight Prism, the independent peer: installed on demand into .cache/prism (never a dependency of
 * the product), started on loopback. The benchmark compares validators with it; tests/independent
 * runs the suite against it as a mock of our contract.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { packagePath } from '../src/paths.ts';

export const PRISM_VERSION = '5.14.2';

export function ensurePrism(): { bin: string } | { reason: string } {
  const prefix = packagePath('.cache', 'prism');
  const bin = path.join(prefix, 'node_modules', '.bin', 'prism');
  if (existsSync(bin)) return { bin };
  const install = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `@stoplight/prism-cli@${PRISM_VERSION}`,
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (install.status !== 0 || !existsSync(bin)) {
    return {
      reason: `npm could not install @stoplight/prism-cli@${PRISM_VERSION}: ${(install.stderr ?? '').split('\n').filter(Boolean).at(-1) ?? install.error?.message}`,
    };
  }
  return { bin };
}

/** A TCP port free on loopback right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port on 127.0.0.1');
  return address.port;
}

/** Prism with the given arguments (`mock file` or `proxy file upstream`) on loopback, once it listens. */
export async function startPrism(
  bin: string,
  args: string[],
): Promise<{ child: ChildProcess; port: number; url: string }> {
  const port = await freePort();
  const child = spawn(bin, [...args, '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`prism did not start within 60 s: ${output.slice(-500)}`));
    }, 60_000);
    const onData = (data: Buffer) => {
      output += String(data);
      if (/listening on/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code}: ${output.slice(-500)}`));
    });
  });
  return { child, port, url: `http://127.0.0.1:${port}` };
}
