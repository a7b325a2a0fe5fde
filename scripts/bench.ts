/**
 * npm run bench: measures on this machine, in one run, and writes reports/bench.json and docs/benchmarks.md.
 *   - the validator: responses per second and MB/s by size, contract compile time, start time;
 *   - against a peer: the same responses through Stoplight Prism's validation proxy (scripts/bench-prism.ts);
 *   - the sandbox under load: 200 concurrent keep-alive clients on GET /v1/accounts;
 *   - the full run: wall time, checks per second, the runner's peak RSS (browser excluded), against a
 *     floor of the same browser flows and the same number of raw HTTP exchanges.
 *   - the proof: npm test by stage, the fault matrix in one run (seconds per fault, and at --proof-tpps
 *     registered TPPs), and the serial matrix it replaced (one Playwright run per fault) as the baseline.
 *   node --import tsx scripts/bench.ts [--runs 3] [--load-seconds 30] [--skip-full] [--skip-peer] [--skip-proof]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startSandbox } from '../sandbox/start.ts';
import { Contract } from '../src/contract/contract.ts';
import { warmContractCache } from '../src/contract/load-contract.ts';
import { DEFAULT_CONTRACTS, PACKAGE_ROOT, packagePath } from '../src/paths.ts';
import type { Summary } from '../src/report/summary.ts';
import { Harness } from '../tests/sandbox/harness.ts';
import { type PeerResult, type PeerRun, PRISM_VERSION, prismBench } from './bench-prism.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'load-seconds': { type: 'string', default: '30' },
    'skip-full': { type: 'boolean' },
    'skip-peer': { type: 'boolean' },
    'skip-proof': { type: 'boolean' },
    'proof-tpps': { type: 'string', default: '200' },
  },
});
const RUNS = Number(values.runs);
// Garbage collection grows with the heap, so a linear validator still costs a little more per entry on
// a 27 MB body than on a 270 kB one; more than this is not linear.
const LINEAR_WITHIN = 2;

interface Stat {
  median: number;
  min: number;
  max: number;
}
const stat = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? 0, min: s[0] ?? 0, max: s.at(-1) ?? 0 };
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// ---------- validator ----------
function validatorBench() {
  const coldMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const contract = new Contract(DEFAULT_CONTRACTS, PACKAGE_ROOT, { precompiled: false });
    for (const op of contract.operations.values()) {
      for (const [status, spec] of Object.entries(op.responses)) {
        for (const media of Object.keys(spec.content))
          contract.validateResponseBody(op.operationId, Number(status) || 200, media, {});
      }
    }
    coldMs.push(performance.now() - started);
  }
  // From the engine's first import to the first validated response, in a new process: with the
  // contract cache (parsed YAML and standalone validators, warmed here) and with it switched off.
  warmContractCache();
  const firstValidation = (cache: 'on' | 'off') => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "const t=performance.now();const {loadContract}=await import('./src/contract/load-contract.ts');const c=loadContract();c.validateResponseBody('getAccountList',200,'application/json',{accounts:[]});console.log(performance.now()-t)",
      ],
      {
        cwd: PACKAGE_ROOT,
        encoding: 'utf8',
        env: { ...process.env, ...(cache === 'off' ? { PSD2_CONTRACT_CACHE: 'off' } : {}) },
      },
    );
    return Number(r.stdout.trim());
  };
  firstValidation('on');
  // Every validator from the cache, in a new process: the contracts' parse and the standalone module.
  const cachedLoadMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        // The contract reads the cache's index; every operation's module is then required, as a run
        // that validates every operation would.
        "const {Contract}=await import('./src/contract/contract.ts');const {DEFAULT_CONTRACTS}=await import('./src/paths.ts');const {contractCacheDir}=await import('./src/contract/parse-cache.ts');const {readdirSync}=await import('node:fs');const {createRequire}=await import('node:module');const req=createRequire(process.cwd()+'/');const t=performance.now();const c=new Contract(DEFAULT_CONTRACTS,process.cwd());if(!c.usesPrecompiled)throw new Error('cache not read');const dir=contractCacheDir()+'/validators-'+c.cacheKey();for(const f of readdirSync(dir))if(f.endsWith('.cjs'))req(dir+'/'+f);console.log(performance.now()-t)",
      ],
      { cwd: PACKAGE_ROOT, encoding: 'utf8' },
    );
    cachedLoadMs.push(Number(r.stdout.trim()));
  }
  const startMs: number[] = [];
  const uncachedStartMs: number[] = [];
  for (let i = 0; i < Math.max(RUNS, 5); i++) {
    startMs.push(firstValidation('on'));
    uncachedStartMs.push(firstValidation('off'));
  }
  const contract = new Contract(DEFAULT_CONTRACTS, PACKAGE_ROOT);
  const headers = {
    'content-type': 'application/json',
    'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
  };
  const account = (i: number) => ({
    resourceId: `acc-${i}`,
    iban: 'DE89370400440532013000',
    currency: 'EUR',
    name: `Account ${i}`,
    cashAccountType: 'CACC',
    balances: [{ balanceAmount: { currency: 'EUR', amount: '123.45' }, balanceType: 'closingBooked' }],
  });
  const transaction = (i: number) => ({
    transactionId: `tx-${i}`,
    bookingDate: '2026-10-01',
    valueDate: '2026-10-01',
    transactionAmount: { currency: 'EUR', amount: `-${i % 1000}.12` },
    creditorName: 'Grocery Store',
    creditorAccount: { iban: 'DE89370400440532013000' },
    remittanceInformationUnstructured: `Invoice ${i}`,
  });
  const SIZES = [10, 1000, 10_000, 100_000];
  const cases: { name: string; operationId: string; body: (n: number) => unknown; sizes: number[] }[] = [
    {
      name: 'account list',
      operationId: 'getAccountList',
      body: (n) => ({ accounts: Array.from({ length: n }, (_, i) => account(i)) }),
      sizes: SIZES,
    },
    {
      name: 'balances',
      operationId: 'getBalances',
      body: (n) => ({
        balances: Array.from({ length: n }, () => ({
          balanceAmount: { currency: 'EUR', amount: '1.00' },
          balanceType: 'expected',
        })),
      }),
      sizes: SIZES,
    },
    {
      name: 'transaction list',
      operationId: 'getTransactionList',
      body: (n) => ({
        transactions: {
          booked: Array.from({ length: n }, (_, i) => transaction(i)),
          _links: { account: { href: '/v1/accounts/a' } },
        },
      }),
      sizes: SIZES,
    },
  ];
  const throughput: Throughput[] = [];
  for (const c of cases) {
    for (const n of c.sizes) {
      const body = JSON.stringify(c.body(n));
      const bytes = Buffer.byteLength(body);
      const target = Math.max(3, Math.min(2000, Math.floor(20_000_000 / bytes)));
      contract.validateResponse(c.operationId, { status: 200, headers, body });
      const samples: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const started = performance.now();
        for (let k = 0; k < target; k++) {
          const v = contract.validateResponse(c.operationId, { status: 200, headers, body });
          if (v.length) throw new Error(`benchmark body breaks the contract: ${JSON.stringify(v[0])}`);
        }
        samples.push((performance.now() - started) / target);
      }
      const perResponseMs = stat(samples);
      throughput.push({
        name: c.name,
        entries: n,
        bytes,
        msPerResponse: {
          median: round(perResponseMs.median, 3),
          min: round(perResponseMs.min, 3),
          max: round(perResponseMs.max, 3),
        },
        responsesPerSecond: round(1000 / perResponseMs.median, 0),
        mbPerSecond: round(bytes / 1e6 / (perResponseMs.median / 1000)),
        usPerEntry: round((perResponseMs.median * 1000) / n, 2),
      });
    }
  }
  return {
    compileAllMs: stat(coldMs.map((x) => round(x))),
    cachedLoadAllMs: stat(cachedLoadMs.map((x) => round(x))),
    processStartToFirstValidationMs: stat(startMs.map((x) => round(x))),
    uncachedStartToFirstValidationMs: stat(uncachedStartMs.map((x) => round(x))),
    throughput,
  };
}

// ---------- sandbox under load ----------
async function loadBench(seconds: number) {
  const child = spawn(process.execPath, [packagePath('bin/psd2-conformance.js'), 'sandbox'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const config = await new Promise<Parameters<typeof Harness.attach>[0]>((resolve) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] ?? '{}'));
    });
  });
  try {
    const h = Harness.attach(config);
    const consent = await h.approvedConsent({
      access: { accounts: [], balances: [], transactions: [] },
      recurringIndicator: true,
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      frequencyPerDay: 1000,
      combinedServiceIndicator: false,
    });
    await h.stop();
    const tls = h.material();
    const agent = new Agent({
      connect: { ...tls },
      connections: 200,
      pipelining: 1,
      keepAliveTimeout: 60_000,
    });
    const url = `${config.baseUrl}/v1/accounts`;
    const headers = {
      authorization: `Bearer ${consent.accessToken}`,
      'consent-id': consent.consentId,
      'psu-ip-address': '10.0.0.1',
      'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
    };
    const one = async () => {
      const started = performance.now();
      const r = await request(url, { dispatcher: agent, headers });
      await r.body.text();
      return { ms: performance.now() - started, ok: r.statusCode === 200 };
    };
    const single: number[] = [];
    for (let i = 0; i < 500; i++) single.push((await one()).ms);
    const latencies: number[] = [];
    let errors = 0;
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (Date.now() < deadline) {
          try {
            const r = await one();
            latencies.push(r.ms);
            if (!r.ok) errors++;
          } catch {
            errors++;
          }
        }
      }),
    );
    await agent.close();
    const sorted = latencies.sort((a, b) => a - b);
    const p = (q: number) => round(sorted[Math.floor(sorted.length * q)] ?? 0, 2);
    return {
      singleClientMedianMs: round(stat(single).median, 2),
      clients: 200,
      seconds,
      requests: latencies.length,
      errors,
      requestsPerSecond: round(latencies.length / seconds, 0),
      latencyMs: { p50: p(0.5), p90: p(0.9), p99: p(0.99), max: round(sorted.at(-1) ?? 0, 2) },
    };
  } finally {
    child.kill('SIGTERM');
  }
}

// ---------- full run vs floor ----------
function treeRssMb(pid: number): number {
  let total = 0;
  const children = new Map<number, number[]>();
  const info = new Map<number, { rss: number; comm: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const rss = Number(fields[21]) * 4096;
      info.set(Number(entry), { rss, comm });
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const walk = (p: number) => {
    const me = info.get(p);
    if (me && !/chrom/i.test(me.comm)) total += me.rss;
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return total / 1e6;
}

async function fullRun() {
  const reports = mkdtempSync(path.join(tmpdir(), 'psd2c-bench-'));
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [packagePath('bin/psd2-conformance.js'), 'run', '--reports-dir', reports],
    {
      stdio: 'ignore',
      env: { ...process.env, PSD2_QUIET: '1' },
    },
  );
  let peak = 0;
  const sampler = setInterval(() => {
    if (child.pid) peak = Math.max(peak, treeRssMb(child.pid));
  }, 250);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  const summary = JSON.parse(readFileSync(path.join(reports, 'summary.json'), 'utf8')) as Summary;
  const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  rmSync(reports, { recursive: true, force: true });
  return {
    seconds,
    checks: summary.totals.total,
    passed: summary.totals.passed,
    peakRssMb: round(peak),
    junitBytes: junit.length,
  };
}

/** What one run asks of the target: SCA flows, account boxes ticked in them, and HTTP exchanges. */
interface RunWork {
  flows: number;
  ticks: number;
  exchanges: number;
}

/**
 * What one run asks of the target, counted on a sandbox the bench owns: the browser SCA flows the
 * PSU pages served (authorization requests), the account boxes the PSU ticked in them, and the HTTP
 * exchanges the API and token endpoint answered.
 */
async function countRunWork(): Promise<RunWork> {
  const sandbox = await startSandbox();
  const dir = mkdtempSync(path.join(tmpdir(), 'psd2c-bench-count-'));
  try {
    const c = sandbox.config;
    const config = {
      profile: 'sandbox',
      target: { baseUrl: c.baseUrl, tokenUrl: c.tokenUrl, authorizeUrl: c.authorizeUrl },
      client: { clientId: c.clientId, clientSecret: c.clientSecret, redirectUri: c.redirectUri },
      tls: { cert: c.cert, key: c.key, ca: c.ca, certificates: c.certificates },
      psu: c.psus[0],
      otherTpp: c.otherTpp,
      fixtures: c.fixtures,
    };
    const file = path.join(dir, 'psd2-conformance.yaml');
    writeFileSync(file, JSON.stringify(config));
    await new Promise((resolve) =>
      spawn(
        process.execPath,
        [packagePath('bin/psd2-conformance.js'), 'run', '--config', file, '--reports-dir', dir],
        {
          stdio: 'ignore',
          env: { ...process.env, PSD2_QUIET: '1' },
        },
      ).on('exit', resolve),
    );
    const state = sandbox.context.state;
    const xs2aCalls = [...sandbox.context.recorder.byTpp.values()]
      .flatMap((tpp) => Object.values(tpp.calls))
      .reduce((sum, n) => sum + n, 0);
    // Every token the endpoint issued is one exchange at least (failed token requests are few and left out).
    return {
      flows: state.authorizationsStarted,
      ticks: state.accountsTicked,
      exchanges: xs2aCalls + state.accessTokens.size,
    };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor: the same flows and the same number of exchanges with nothing of ours on top, in two lanes
 * as the run's two workers, each lane with its own browser: raw Playwright steps and raw undici requests.
 */
async function floor(work: RunWork) {
  const sandbox = await startSandbox();
  const h = Harness.attach(sandbox.config);
  try {
    const { launchChromium } = await import('../src/sca/browser.ts');
    const token = await h.clientToken();
    const psu = sandbox.config.psus[0] ?? { id: '', password: '' };
    const lanes = 2;
    const flowMs: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        const browser = await launchChromium();
        if (!browser) throw new Error('no Chromium found: set PSD2_BROWSER or install chromium');
        const client = h.client();
        // One tab per lane, its cookies cleared between flows, as the run's SCA driver does.
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        const page = await context.newPage();
        for (let i = lane; i < work.flows; i += lanes) {
          const created = (await h.createConsent(undefined, token)).json<{
            _links: { scaRedirect: { href: string } };
          }>();
          const t = performance.now();
          await context.clearCookies();
          const done = page.waitForRequest((r) => r.url().startsWith(sandbox.config.redirectUri));
          await page.goto(`${created._links.scaRedirect.href}&state=s`);
          await page.fill('#psu-id', psu.id);
          await page.fill('#psu-password', psu.password);
          await page.click('#login');
          // As many account boxes over all flows as the run's PSU ticked, spread evenly, one at least.
          const boxes = page.locator('input[name=account]:not([disabled])');
          const share = (k: number) => Math.round((k * work.ticks) / work.flows);
          const ticks = Math.min(await boxes.count(), Math.max(1, share(i + 1) - share(i)));
          for (let b = 0; b < ticks; b++) await boxes.nth(b).check();
          await page.click('#approve');
          await done;
          await page.waitForLoadState('domcontentloaded');
          flowMs.push(performance.now() - t);
        }
        for (let i = lane; i < work.exchanges - work.flows; i += lanes) {
          await client.send({
            method: 'GET',
            url: '/v1/consents/x/status',
            headers: { authorization: `Bearer ${token}` },
          });
        }
        await browser.close();
      }),
    );
    return {
      flows: work.flows,
      flowMedianMs: round(stat(flowMs).median),
      exchanges: work.exchanges,
      seconds: round((performance.now() - started) / 1000),
    };
  } finally {
    await h.stop();
    await sandbox.close();
  }
}

interface Throughput {
  name: string;
  entries: number;
  bytes: number;
  msPerResponse: Stat;
  responsesPerSecond: number;
  mbPerSecond: number;
  usPerEntry: number;
}
interface Results {
  machine: { node: string; cpus: number; date: string };
  validator?: {
    compileAllMs: Stat;
    cachedLoadAllMs: Stat;
    processStartToFirstValidationMs: Stat;
    uncachedStartToFirstValidationMs: Stat;
    throughput: Throughput[];
  };
  load?: Awaited<ReturnType<typeof loadBench>>;
  fullRun?: {
    seconds: Stat;
    checks: number | undefined;
    checksPerSecond: number;
    peakRssMb: Stat;
  };
  floor?: RunWork & { flowMedianMs: number; seconds: Stat };
  peer?: PeerResult;
  proof?: Proof;
}
const results: Results = {
  machine: {
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    date: new Date().toISOString(),
  },
};
console.log('validator ...');
results.validator = validatorBench();
if (!values['skip-peer']) {
  console.log('against Prism ...');
  results.peer = await prismBench().catch((error: unknown) => ({
    prismVersion: PRISM_VERSION,
    runs: [
      {
        contract: 'any contract',
        measured: false as const,
        reason: error instanceof Error ? error.message : String(error),
      },
    ],
  }));
}
console.log('sandbox under load ...');
results.load = await loadBench(Number(values['load-seconds']));
if (!values['skip-full']) {
  // Full runs and floors alternate, so that both see the same machine: a shared machine's load
  // drifts over minutes, and a floor measured once, apart from the runs, made the ratio a coin toss.
  console.log('counting what a run asks of the target ...');
  const work = await countRunWork();
  const runs = [];
  const floors = [];
  for (let i = 0; i < RUNS; i++) {
    console.log(`full run ${i + 1} and floor ${i + 1} ...`);
    runs.push(await fullRun());
    floors.push(await floor(work));
  }
  results.fullRun = {
    seconds: stat(runs.map((r) => round(r.seconds))),
    checks: runs[0]?.checks,
    checksPerSecond: round((runs[0]?.checks ?? 0) / stat(runs.map((r) => r.seconds)).median),
    peakRssMb: stat(runs.map((r) => r.peakRssMb)),
  };
  results.floor = {
    flows: work.flows,
    ticks: work.ticks,
    exchanges: work.exchanges,
    flowMedianMs: stat(floors.map((f) => f.flowMedianMs)).median,
    seconds: stat(floors.map((f) => f.seconds)),
  };
}
if (!values['skip-proof']) {
  console.log('the proof: npm test, the fault matrix in one run, at scale, and serial ...');
  results.proof = proofBench(Number(values['proof-tpps']));
}
mkdirSync(packagePath('reports'), { recursive: true });
writeFileSync(packagePath('reports', 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(packagePath('docs', 'benchmarks.md'), render(results));
console.log('wrote reports/bench.json and docs/benchmarks.md');

function render(r: Results): string {
  const v = r.validator;
  if (!v || !r.load) return '';
  const lines = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` on ${r.machine.cpus} cores, Node ${r.machine.node}, ${r.machine.date}. Medians of ${RUNS} runs with min and max. Generated; do not edit by hand.`,
    '',
    '## Validator',
    '',
    '| target | figure | met |',
    '|---|---|---|',
    `| compile every validator, cold | ${v.compileAllMs.median} ms (${v.compileAllMs.min}–${v.compileAllMs.max}) | |`,
    `| every validator from the cache, new process: parsed contracts and every operation's standalone module (target < 100 ms) | ${v.cachedLoadAllMs.median} ms (${v.cachedLoadAllMs.min}–${v.cachedLoadAllMs.max}) | ${v.cachedLoadAllMs.median < 100 ? 'yes' : 'no'} |`,
    `| new process, engine import (TypeScript through tsx) to first validation, cached (target < 100 ms) | ${v.processStartToFirstValidationMs.median} ms (${v.processStartToFirstValidationMs.min}–${v.processStartToFirstValidationMs.max}) | ${v.processStartToFirstValidationMs.median < 100 ? 'yes' : 'no'} |`,
    `| the same without the cache (\`PSD2_CONTRACT_CACHE=off\`) | ${v.uncachedStartToFirstValidationMs.median} ms (${v.uncachedStartToFirstValidationMs.min}–${v.uncachedStartToFirstValidationMs.max}) | |`,
    '',
    '| body | entries | bytes | ms per response | responses/s | MB/s | µs per entry |',
    '|---|---|---|---|---|---|---|',
    ...v.throughput.map(
      (t) =>
        `| ${t.name} | ${t.entries} | ${t.bytes} | ${t.msPerResponse.median} (${t.msPerResponse.min}–${t.msPerResponse.max}) | ${t.responsesPerSecond} | ${t.mbPerSecond} | ${t.usPerEntry} |`,
    ),
    '',
  ];
  const tx = v.throughput.filter((t) => t.name === 'transaction list');
  const big = tx.at(-1);
  lines.push(
    `Transaction lists: ${big?.mbPerSecond} MB/s at ${big?.entries.toLocaleString('en')} entries (target ≥ 50 MB/s: ${big && big.mbPerSecond >= 50 ? 'met' : 'not met'}).`,
    '',
    `Cost linear in size (target: the cost per entry at 100,000 entries within ${LINEAR_WITHIN}× of the cost at 1,000, for every body): ${linearity(v.throughput)}.`,
    '',
    '## Sandbox under load',
    '',
    `GET /v1/accounts with a valid consent, loopback, sandbox in its own process: single client median ${r.load.singleClientMedianMs} ms (target < 5 ms: ${r.load.singleClientMedianMs < 5 ? 'met' : 'not met'}). ${r.load.clients} concurrent keep-alive clients for ${r.load.seconds} s: ${r.load.requests} requests, ${r.load.requestsPerSecond}/s, ${r.load.errors} errors (target 0: ${r.load.errors === 0 ? 'met' : 'not met'}); latency p50 ${r.load.latencyMs.p50} ms, p90 ${r.load.latencyMs.p90} ms, p99 ${r.load.latencyMs.p99} ms, max ${r.load.latencyMs.max} ms.`,
    '',
  );
  if (r.fullRun && r.floor) {
    const ratio = r.fullRun.seconds.median / r.floor.seconds.median;
    lines.push(
      '## Full run against the floor',
      '',
      `| | figure | target | met |`,
      '|---|---|---|---|',
      `| full run (\`psd2-conformance run\`, embedded sandbox, 2 workers) | ${r.fullRun.seconds.median} s (${r.fullRun.seconds.min}–${r.fullRun.seconds.max}) | ≤ 60 s | ${r.fullRun.seconds.median <= 60 ? 'yes' : 'no'} |`,
      `| checks per second | ${r.fullRun.checksPerSecond} (${r.fullRun.checks} checks) | | |`,
      `| runner peak RSS (node processes, browser excluded) | ${r.fullRun.peakRssMb.median} MB (${r.fullRun.peakRssMb.min}–${r.fullRun.peakRssMb.max}) | | |`,
      `| floor: the run's ${r.floor.flows} browser SCA flows (${r.floor.ticks} accounts ticked; median ${r.floor.flowMedianMs} ms) and ${r.floor.exchanges} HTTP exchanges, raw, in 2 lanes, each floor right after a full run | ${r.floor.seconds.median} s (${r.floor.seconds.min}–${r.floor.seconds.max}) | | |`,
      `| full run / floor | ${round(ratio, 2)}× | ≤ 1.5× | ${ratio <= 1.5 ? 'yes' : 'no'} |`,
      '',
      "The floor replays what one run asks of the target, counted on a sandbox the bench owns (authorization requests for the flows, the accounts the PSU ticked on the review pages, XS2A calls and issued tokens for the exchanges): raw Playwright steps and raw undici GETs in two lanes, each lane with its own browser, as the run's two workers. It leaves out Playwright's test runner start, the reports, and the validation and checking that are the product.",
      '',
    );
  }
  lines.push(...renderPeer(r.peer));
  lines.push(...renderProof(r.proof));
  return lines.join('\n');
}

/** Per body: µs per entry at 1,000 and at the largest size, and whether the growth stays within LINEAR_WITHIN. */
function linearity(rows: Throughput[]): string {
  const names = [...new Set(rows.map((t) => t.name))];
  let met = true;
  const parts = names.map((name) => {
    const own = rows.filter((t) => t.name === name);
    const base = own.find((t) => t.entries === 1000);
    const largest = own.at(-1);
    if (!base || !largest) return `${name}: not measured`;
    const growth = round(largest.usPerEntry / base.usPerEntry, 2);
    if (growth > LINEAR_WITHIN) met = false;
    return `${name} ${base.usPerEntry} µs per entry at 1,000, ${largest.usPerEntry} µs at ${largest.entries.toLocaleString('en')} (${growth}×)`;
  });
  return `${parts.join('; ')}: ${met ? 'met' : 'not met'}`;
}

function renderPeer(peer: PeerResult | undefined): string[] {
  const head = ['## Against a peer: Stoplight Prism', ''];
  if (!peer) return [...head, `Not measured in this run (--skip-peer).`, ''];
  return [
    ...head,
    `The same responses validated by \`prism proxy\` (@stoplight/prism-cli ${peer.prismVersion}, loopback, 4 requests in flight) and by our validator (in process, one thread, reading our contracts). Prism's figure includes its HTTP hop; ours does not. Prism reads our own contract first (the same rules, so a verdict that differs is a defect in one of the two), then the Berlin Group file.`,
    '',
    ...peer.runs.flatMap((run) => renderPeerRun(run)),
  ];
}

function renderPeerRun(run: PeerRun): string[] {
  const head = [`### Prism reading ${run.contract}`, ''];
  if (!run.measured) return [...head, `Not measured: ${run.reason}.`, ''];
  const agreeing = run.cases.filter((c) => c.agree).length;
  const unexplained = run.cases.filter(
    (c) => !c.agree && !(run.contract !== 'openapi/xs2a.yaml' && c.bgFileDiffers),
  );
  const cell = (v: { valid: boolean; first?: string }) =>
    (v.valid ? 'valid' : `invalid: ${v.first ?? ''}`).replaceAll('|', '\\|');
  return [
    ...head,
    '| response | bytes | what it is | ours: verdict | ours: responses/s | Prism: verdict | Prism: responses/s | same verdict |',
    '|---|---|---|---|---|---|---|---|',
    ...run.cases.map(
      (c) =>
        `| ${c.name} | ${c.bytes} | ${c.note} | ${cell(c.ours)} | ${c.ours.responsesPerSecond} | ${cell(c.prism)} | ${c.prism.responsesPerSecond} | ${c.agree ? 'yes' : `no: ${c.bgFileDiffers ?? 'not explained'}`} |`,
    ),
    '',
    `Throughput ratio (ours / Prism, per response over these cases): ${run.ratio}× (target ≥ 10×: ${run.ratio >= 10 ? 'met' : 'not met'}). Same verdict on ${agreeing} of ${run.cases.length} responses (target: the same verdicts, or a difference the Berlin Group file explains: ${unexplained.length === 0 ? 'met' : `not met, ${unexplained.map((c) => c.name).join(', ')}`}).`,
    '',
  ];
}

// ---------- the proof: npm test and the fault matrix ----------
interface MatrixFigure {
  faults: number;
  ok: number;
  seconds: number;
  secondsPerFault: number;
}
interface Proof {
  npmTest: { seconds: number; exit: number | null; stages: Record<string, number> };
  oneRun: MatrixFigure;
  atScale: MatrixFigure;
  serial: MatrixFigure;
}

/** Runs a command, timing it; returns its output too. */
function timed(args: string[]): { seconds: number; exit: number | null; output: string } {
  const started = performance.now();
  const r = spawnSync(args[0] ?? '', args.slice(1), {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, PSD2_QUIET: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    seconds: round((performance.now() - started) / 1000),
    exit: r.status,
    output: `${r.stdout}${r.stderr}`,
  };
}

function matrixFigure(extra: string[]): MatrixFigure {
  const run = timed([process.execPath, '--import', 'tsx', 'scripts/fault-matrix.ts', ...extra]);
  const saved = JSON.parse(readFileSync(packagePath('reports', 'fault-matrix.json'), 'utf8')) as {
    rows: { ok: boolean }[];
  };
  return {
    faults: saved.rows.length,
    ok: saved.rows.filter((r) => r.ok).length,
    seconds: run.seconds,
    secondsPerFault: round(run.seconds / Math.max(1, saved.rows.length), 2),
  };
}

function proofBench(tpps: number): Proof {
  console.log('  npm test ...');
  const test = timed(['bash', 'scripts/test.sh']);
  const stages = Object.fromEntries(
    [...test.output.matchAll(/^stage ([\w-]+): (\d+) s$/gm)].map((m) => [m[1] ?? '', Number(m[2])]),
  );
  console.log('  fault matrix, one run ...');
  const oneRun = matrixFigure([]);
  console.log(`  fault matrix, one run, ${tpps} TPPs ...`);
  const atScale = matrixFigure(['--tpps', String(tpps)]);
  console.log('  fault matrix, serial (the baseline) ...');
  const serial = matrixFigure(['--serial']);
  return { npmTest: { seconds: test.seconds, exit: test.exit, stages }, oneRun, atScale, serial };
}

function renderProof(proof: Proof | undefined): string[] {
  const head = ['## The proof: npm test and the fault matrix', ''];
  if (!proof) return [...head, 'Not measured in this run (--skip-proof).', ''];
  const { npmTest, oneRun, atScale, serial } = proof;
  const matrixStage = npmTest.stages['fault-matrix'] ?? oneRun.seconds;
  const serialNpmTest = round(npmTest.seconds - matrixStage + serial.seconds);
  const met = (ok: boolean) => (ok ? 'yes' : 'no');
  const row = (name: string, m: MatrixFigure, target: string, ok: boolean | undefined) =>
    `| ${name} | ${m.faults} (${m.ok} detected exactly) | ${m.seconds} s | ${m.secondsPerFault} s | ${target} | ${ok === undefined ? '' : met(ok)} |`;
  return [
    ...head,
    "The fault matrix runs every fault of the catalogue as a TPP of its own on one sandbox, in one Playwright run (`npm run fault-matrix`); the serial matrix is the way it ran before, one Playwright run per fault with the fault on for every TPP (`scripts/fault-matrix.ts --serial`), measured once as the baseline. The row at scale registers the catalogue's faults again under new names until there are that many TPPs: the cost of a catalogue of that size before its faults exist.",
    '',
    '| matrix | faults | total | per fault | target | met |',
    '|---|---|---|---|---|---|',
    row('one run', oneRun, '≤ 240 s', oneRun.seconds <= 240 && oneRun.ok === oneRun.faults),
    row(
      `one run at ${atScale.faults} TPPs`,
      atScale,
      '≤ 480 s at 200',
      atScale.faults >= 200 ? atScale.seconds <= 480 : undefined,
    ),
    row('serial (baseline)', serial, '', undefined),
    '',
    '| `npm test` | figure | target | met |',
    '|---|---|---|---|',
    `| total, with the one-run matrix (exit ${npmTest.exit}) | ${npmTest.seconds} s | ≤ 720 s | ${met(npmTest.seconds <= 720 && npmTest.exit === 0)} |`,
    ...Object.entries(npmTest.stages).map(([stage, seconds]) => `| stage ${stage} | ${seconds} s | | |`),
    `| the same with the serial matrix in its place (derived: total − matrix stage + serial matrix) | ${serialNpmTest} s | | |`,
    '',
  ];
}
