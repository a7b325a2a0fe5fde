/**
 * The validator against a peer: the same responses validated through Stoplight Prism's validation proxy
 * (`prism proxy`, loopback only) and through our contract engine, twice: with Prism reading our own
 * Berlin Group contract (same rules, so any verdict that differs is a defect in one of the two), and with
 * Prism reading the Berlin Group 1.3.12 file where the user keeps it (licence CC BY-ND 4.0: it is not
 * shipped with this project). Prism is installed on demand into .cache/prism, never a product dependency.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Pool } from 'undici';
import { Contract } from '../src/contract/contract.ts';
import { DEFAULT_CONTRACTS, PACKAGE_ROOT, packagePath } from '../src/paths.ts';
import { ensurePrism, PRISM_VERSION, startPrism } from './prism.ts';

export { PRISM_VERSION };

const BG_SHA256 = 'fd4bca36332c365de0d34e2a8411363b564eb02f2a1f5f8fa7e5c3ded2437801';

export interface PeerCase {
  name: string;
  /** Why the body is valid or not, in the spec's terms. */
  note: string;
  /** Why Prism reading the Berlin Group file sees this body otherwise than our contract does, if it does. */
  bgFileDiffers?: string;
  bytes: number;
  ours: { valid: boolean; responsesPerSecond: number; first?: string };
  prism: { valid: boolean; responsesPerSecond: number; first?: string };
  agree: boolean;
}

/** One comparison: Prism reading one contract file, our engine reading ours. */
export type PeerRun =
  | { contract: string; measured: false; reason: string }
  | { contract: string; measured: true; cases: PeerCase[]; ratio: number };

export interface PeerResult {
  prismVersion: string;
  runs: PeerRun[];
}

const ACCOUNT = (i: number) => ({
  resourceId: `acc-${i}`,
  iban: 'DE89370400440532013000',
  currency: 'EUR',
  name: `Account ${i}`,
  cashAccountType: 'CACC',
});
const TRANSACTION = (i: number) => ({
  transactionId: `tx-${i}`,
  bookingDate: '2026-10-01',
  valueDate: '2026-10-01',
  transactionAmount: { currency: 'EUR', amount: `-${i % 1000}.12` },
  creditorName: 'Grocery Store',
  remittanceInformationUnstructured: `Invoice ${i}`,
});
const transactions = (n: number, links = true) => ({
  account: { iban: 'DE89370400440532013000' },
  transactions: {
    booked: Array.from({ length: n }, (_, i) => TRANSACTION(i)),
    ...(links ? { _links: { account: { href: '/v1/accounts/acc-1' } } } : {}),
  },
});

/** The responses both validators see: path on the upstream, operation, body, and what the body is. */
const CASES: {
  name: string;
  note: string;
  bgFileDiffers?: string;
  path: string;
  operationId: string;
  body: unknown;
  count: number;
}[] = [
  {
    name: 'account list, 10',
    note: 'valid',
    path: '/v1/accounts',
    operationId: 'getAccountList',
    body: { accounts: Array.from({ length: 10 }, (_, i) => ACCOUNT(i)) },
    count: 300,
  },
  {
    name: 'balances, 2',
    note: 'valid',
    path: '/v1/accounts/acc-1/balances',
    operationId: 'getBalances',
    body: {
      balances: [{ balanceAmount: { currency: 'EUR', amount: '12.34' }, balanceType: 'closingBooked' }],
    },
    count: 300,
  },
  {
    name: 'transaction list, 10',
    note: 'valid',
    path: '/v1/accounts/acc-1/transactions?bookingStatus=booked',
    operationId: 'getTransactionList',
    body: transactions(10),
    count: 300,
  },
  {
    name: 'transaction list, 1,000',
    note: 'valid',
    path: '/v1/accounts/acc-1/transactions?bookingStatus=booked',
    operationId: 'getTransactionList',
    body: transactions(1000),
    count: 60,
  },
  {
    name: 'balances, amount as a number',
    note: 'invalid: Amount.amount is a string',
    path: '/v1/accounts/acc-2/balances',
    operationId: 'getBalances',
    body: { balances: [{ balanceAmount: { currency: 'EUR', amount: 12.34 }, balanceType: 'closingBooked' }] },
    count: 100,
  },
  {
    name: 'account list, currency "EURO"',
    note: 'invalid: currencyCode is ^[A-Z]{3}$',
    bgFileDiffers:
      'the Berlin Group file\'s currencyCode pattern is unanchored ([A-Z]{3}), so "EURO" contains a match',
    path: '/v1/accounts?case=euro',
    operationId: 'getAccountList',
    body: { accounts: [{ ...ACCOUNT(1), currency: 'EURO' }] },
    count: 100,
  },
  {
    name: 'transaction list without _links',
    note: 'invalid: an account report requires _links with account (BG accountReport, _linksAccountReport)',
    path: '/v1/accounts/acc-3/transactions?bookingStatus=booked',
    operationId: 'getTransactionList',
    body: transactions(10, false),
    count: 100,
  },
];

export function berlinGroupFile(): string | undefined {
  const candidates = [
    process.env.PSD2_BG_OPENAPI,
    path.resolve(
      PACKAGE_ROOT,
      '..',
      'shared',
      'reference',
      'berlin-group',
      'psd2-api_1.3.12_2022-07-01.json',
    ),
  ].filter((f): f is string => Boolean(f));
  return candidates.find((f) => existsSync(f));
}

async function upstream(): Promise<Server> {
  const bodies = new Map(CASES.map((c) => [c.path, JSON.stringify(c.body)]));
  const server = createServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, {
      'content-type': 'application/json',
      'x-request-id': String(req.headers['x-request-id'] ?? randomUUID()),
    });
    res.end(body ?? '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

export async function prismBench(): Promise<PeerResult> {
  const prism = ensurePrism();
  const own = DEFAULT_CONTRACTS[0] as string;
  const bg = berlinGroupOrWhyNot();
  if ('reason' in prism) {
    return {
      prismVersion: PRISM_VERSION,
      runs: [own, bg.file ?? 'the Berlin Group 1.3.12 file'].map((contract) => ({
        contract,
        measured: false as const,
        reason: prism.reason,
      })),
    };
  }
  const runs: PeerRun[] = [await compare(prism.bin, packagePath(own), own)];
  runs.push(
    'reason' in bg
      ? { contract: 'the Berlin Group 1.3.12 file', measured: false, reason: bg.reason }
      : await compare(prism.bin, bg.file, path.basename(bg.file)),
  );
  return { prismVersion: PRISM_VERSION, runs };
}

function berlinGroupOrWhyNot(): { file: string } | { file?: undefined; reason: string } {
  const file = berlinGroupFile();
  if (!file)
    return {
      reason: 'the file was not found: set PSD2_BG_OPENAPI to it (CC BY-ND 4.0, so not shipped here)',
    };
  const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (sha !== BG_SHA256) return { reason: `${file} is not the published 1.3.12 file (sha256 ${sha})` };
  return { file };
}

/** The cases through Prism reading `file`, and through our engine reading our contracts. */
async function compare(bin: string, file: string, name: string): Promise<PeerRun> {
  const server = await upstream();
  const { child, port } = await startPrism(bin, [
    'proxy',
    file,
    `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  ]);
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 4 });
  const contract = new Contract(DEFAULT_CONTRACTS, PACKAGE_ROOT);
  const headers = { 'content-type': 'application/json', 'x-request-id': randomUUID() };
  const cases: PeerCase[] = [];
  try {
    for (const c of CASES) {
      const body = JSON.stringify(c.body);
      // Through Prism: the response violations it reports in sl-violations (request findings are left out).
      const viaPrism = async () => {
        const response = await pool.request({
          method: 'GET',
          path: c.path,
          headers: { 'x-request-id': randomUUID(), 'consent-id': 'consent-1', authorization: 'Bearer t' },
        });
        await response.body.text();
        const raw = response.headers['sl-violations'];
        const list = raw ? (JSON.parse(String(raw)) as { location: string[]; message: string }[]) : [];
        return list.filter((v) => v.location[0] === 'response');
      };
      const prismFindings = await viaPrism();
      let started = performance.now();
      for (let done = 0; done < c.count; done += 4)
        await Promise.all([viaPrism(), viaPrism(), viaPrism(), viaPrism()]);
      const prismRate = c.count / ((performance.now() - started) / 1000);
      const ourFindings = contract.validateResponse(c.operationId, { status: 200, headers, body });
      started = performance.now();
      for (let i = 0; i < c.count * 10; i++)
        contract.validateResponse(c.operationId, { status: 200, headers, body });
      const ourRate = (c.count * 10) / ((performance.now() - started) / 1000);
      cases.push({
        name: c.name,
        note: c.note,
        ...(c.bgFileDiffers ? { bgFileDiffers: c.bgFileDiffers } : {}),
        bytes: Buffer.byteLength(body),
        ours: {
          valid: ourFindings.length === 0,
          responsesPerSecond: Math.round(ourRate),
          ...(ourFindings[0] ? { first: `${ourFindings[0].pointer} ${ourFindings[0].message}` } : {}),
        },
        prism: {
          valid: prismFindings.length === 0,
          responsesPerSecond: Math.round(prismRate),
          ...(prismFindings[0]
            ? { first: `${prismFindings[0].location.slice(2).join('/')} ${prismFindings[0].message}` }
            : {}),
        },
        agree: (ourFindings.length === 0) === (prismFindings.length === 0),
      });
    }
  } finally {
    await pool.close();
    child.kill('SIGTERM');
    server.close();
  }
  const ours = cases.reduce((sum, c) => sum + 1 / c.ours.responsesPerSecond, 0);
  const theirs = cases.reduce((sum, c) => sum + 1 / c.prism.responsesPerSecond, 0);
  return { contract: name, measured: true, cases, ratio: Math.round((theirs / ours) * 10) / 10 };
}
