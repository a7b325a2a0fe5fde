import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { encodePsd2QcStatements, type Psd2Role, QC_STATEMENTS_EXTENSION_OID } from './qc-statement.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;
const PKI_VERSION = 5;

export const NCA = { name: 'Bulgarian National Bank', id: 'BG-BNB' };

/** The organizationIdentifiers of the default TPP and of the second TPP it is checked against. */
export const DEFAULT_ORGANIZATIONS = { own: 'PSDBG-BNB-1000001', other: 'PSDBG-BNB-1000009' } as const;

/** The test certificates of one TPP by name: all but otherTpp carry its own organizationIdentifier. */
export function clientCertificateSpecs(orgs: { own: string; other: string }) {
  return {
    allRoles: {
      roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
      org: orgs.own,
      cn: 'Conformance TPP (all roles)',
    },
    aisOnly: { roles: ['PSP_AI'], org: orgs.own, cn: 'Conformance TPP (AIS only)' },
    pisOnly: { roles: ['PSP_PI'], org: orgs.own, cn: 'Conformance TPP (PIS only)' },
    piisOnly: { roles: ['PSP_IC'], org: orgs.own, cn: 'Conformance TPP (PIIS only)' },
    otherTpp: {
      roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
      org: orgs.other,
      cn: 'Another TPP (all roles)',
    },
    expired: {
      roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
      org: orgs.own,
      cn: 'Conformance TPP (expired)',
    },
    untrusted: {
      roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
      org: orgs.own,
      cn: 'Conformance TPP (untrusted CA)',
    },
    noQcStatement: { roles: undefined, org: orgs.own, cn: 'Conformance TPP (no PSD2 QCStatement)' },
    revoked: {
      roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
      org: orgs.own,
      cn: 'Conformance TPP (revoked)',
    },
    serverAuthOnly: {
      roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
      org: orgs.own,
      cn: 'Conformance TPP (server authentication only)',
    },
  } as const satisfies Record<string, { roles: readonly Psd2Role[] | undefined; org: string; cn: string }>;
}

export const CLIENT_CERTIFICATES = clientCertificateSpecs(DEFAULT_ORGANIZATIONS);

export type ClientCertificateName = keyof typeof CLIENT_CERTIFICATES;

export interface CertificateFiles {
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  ca: string;
  caKey: string;
  /** The root of the "untrusted" certificate: never trusted by the sandbox unless a fault says so. */
  untrustedCa: string;
  untrustedCaKey: string;
  server: CertificateFiles;
  clients: Record<ClientCertificateName, CertificateFiles>;
}

interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/**
 * Loads the PKI from `dir`, or generates it there when it is missing, stale or about to expire.
 * Several processes may ask at once on a fresh clone (parallel test files, a sandbox and the CLI):
 * one generates under a lock while the others wait, and each generation lives in its own folder
 * behind an atomically replaced manifest, so nobody ever reads a CA from one generation and a
 * certificate from another.
 */
export async function ensureTestPki(dir: string): Promise<TestPki> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const cached = readFreshManifest(dir);
    if (cached) return cached;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lock = path.join(dir, '.lock');
    if (tryLock(lock)) {
      try {
        return readFreshManifest(dir) ?? (await generateTestPki(dir));
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline || lockAgeMs(lock) > LOCK_WAIT_MS) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const LOCK_WAIT_MS = 60_000;

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function lockAgeMs(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

function readFreshManifest(dir: string): TestPki | undefined {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      version: number;
      notAfter: string;
      pki: TestPki;
    };
    const fresh =
      manifest.version === PKI_VERSION && new Date(manifest.notAfter).getTime() - Date.now() > 7 * DAY;
    return fresh && existsSync(manifest.pki.ca) && existsSync(manifest.pki.server.cert)
      ? manifest.pki
      : undefined;
  } catch {
    // A damaged cache is regenerated.
    return undefined;
  }
}

/** Earlier generations are kept a day, in case a long-running sandbox still serves from one. */
function removeOldGenerations(cacheDir: string, current: string): void {
  for (const entry of readdirSync(cacheDir)) {
    const folder = path.join(cacheDir, entry);
    if (!entry.startsWith('generation-') || folder === current) continue;
    if (Date.now() - statSync(folder).mtimeMs > DAY) rmSync(folder, { recursive: true, force: true });
  }
}

/** Generates a PKI into a new folder under `cacheDir` and publishes it as the cache's manifest. */
export async function generateTestPki(cacheDir: string): Promise<TestPki> {
  const dir = path.join(cacheDir, `generation-${Date.now()}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const notBefore = new Date(now - DAY);
  const notAfter = new Date(now + 365 * DAY);
  const root = await createCa(
    'CN=psd2-conformance Test Root CA, O=psd2-conformance, C=BG',
    notBefore,
    notAfter,
  );
  const untrustedRoot = await createCa('CN=Untrusted Test Root CA, O=Elsewhere, C=BG', notBefore, notAfter);
  const write = (name: string, issued: Issued) => writePair(dir, name, issued);
  const server = await issue(root, 'CN=localhost, O=psd2-conformance sandbox, C=BG', notBefore, notAfter, {
    server: true,
  });
  const clients = await issueClientCertificates(dir, root, untrustedRoot, DEFAULT_ORGANIZATIONS, 'client-');
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, root.cert.toString('pem'));
  const untrustedCaFile = path.join(dir, 'untrusted-ca.pem');
  writeFileSync(untrustedCaFile, untrustedRoot.cert.toString('pem'));
  const pki: TestPki = {
    dir,
    ca: caFile,
    untrustedCa: untrustedCaFile,
    caKey: (await write('ca', root)).key,
    untrustedCaKey: (await write('untrusted-ca', untrustedRoot)).key,
    server: await write('server', server),
    clients,
  };
  const staged = path.join(cacheDir, `manifest.json.${process.pid}.tmp`);
  writeFileSync(
    staged,
    JSON.stringify({ version: PKI_VERSION, notAfter: notAfter.toISOString(), pki }, null, 2),
  );
  renameSync(staged, path.join(cacheDir, 'manifest.json'));
  removeOldGenerations(cacheDir, dir);
  return pki;
}

/** Issues one TPP's set of client certificates into `dir` (files named `${prefix}${name}.pem`). */
async function issueClientCertificates(
  dir: string,
  root: Issued,
  untrustedRoot: Issued,
  orgs: { own: string; other: string },
  prefix: string,
): Promise<Record<ClientCertificateName, CertificateFiles>> {
  const now = Date.now();
  const notBefore = new Date(now - DAY);
  const notAfter = new Date(root.cert.notAfter);
  const entries = await Promise.all(
    Object.entries(clientCertificateSpecs(orgs)).map(async ([name, spec]) => {
      const expired = name === 'expired';
      const issued = await issue(
        name === 'untrusted' ? untrustedRoot : root,
        `CN=${spec.cn}, O=Conformance TPP Ltd, 2.5.4.97=${spec.org}, C=BG`,
        expired ? new Date(now - 400 * DAY) : notBefore,
        expired ? new Date(now - 30 * DAY) : notAfter,
        { roles: spec.roles, server: name === 'serverAuthOnly' ? 'withoutSan' : undefined },
      );
      return [name, await writePair(dir, `${prefix}${name}`, issued)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ClientCertificateName, CertificateFiles>;
}

/**
 * The client certificates of a TPP the sandbox registers by name, under the PKI's CAs and the given
 * organizationIdentifiers: issued once into the PKI's folder and reused. Each set is written into a
 * folder of its own and renamed into place, so a process never reads half a set.
 */
export async function ensureTppCertificates(
  pki: TestPki,
  name: string,
  orgs: { own: string; other: string },
): Promise<Record<ClientCertificateName, CertificateFiles>> {
  const tpps = path.join(pki.dir, 'tpps');
  const folder = path.join(tpps, name);
  const manifest = path.join(folder, 'certificates.json');
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8'));
  const staged = path.join(tpps, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}`);
  mkdirSync(staged, { recursive: true, mode: 0o700 });
  const [root, untrustedRoot] = await Promise.all([
    loadIssuer(pki.ca, pki.caKey),
    loadIssuer(pki.untrustedCa, pki.untrustedCaKey),
  ]);
  const files = await issueClientCertificates(staged, root, untrustedRoot, orgs, '');
  const final = Object.fromEntries(
    Object.entries(files).map(([cert, pair]) => [
      cert,
      { cert: path.join(folder, path.basename(pair.cert)), key: path.join(folder, path.basename(pair.key)) },
    ]),
  ) as Record<ClientCertificateName, CertificateFiles>;
  writeFileSync(path.join(staged, 'certificates.json'), JSON.stringify(final));
  try {
    renameSync(staged, folder);
  } catch {
    // Another process published the same TPP's set first: use theirs.
    rmSync(staged, { recursive: true, force: true });
  }
  return JSON.parse(readFileSync(manifest, 'utf8'));
}

async function loadIssuer(certFile: string, keyFile: string): Promise<Issued> {
  const cert = new x509.X509Certificate(readFileSync(certFile, 'utf8'));
  const der = Buffer.from(
    readFileSync(keyFile, 'utf8')
      .replace(/-----[A-Z ]+-----/g, '')
      .replace(/\s+/g, ''),
    'base64',
  );
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
  return { cert, keys: { privateKey, publicKey: await cert.publicKey.export(ALGORITHM, ['verify']) } };
}

export async function createCa(subject: string, notBefore: Date, notAfter: Date): Promise<Issued> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

export async function issue(
  issuer: Issued,
  subject: string,
  notBefore: Date,
  notAfter: Date,
  /** A server certificate (serverAuth only; 'withoutSan': a QWAC that names no host, to test client-side refusal). */
  options: { server?: boolean | 'withoutSan'; roles?: readonly Psd2Role[] | undefined },
): Promise<Issued> {
  const keys = await generateKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
    new x509.ExtendedKeyUsageExtension([
      options.server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
  ];
  if (options.server === true) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
    );
  }
  if (options.roles) {
    const value = encodePsd2QcStatements({ roles: [...options.roles], ncaName: NCA.name, ncaId: NCA.id });
    extensions.push(new x509.Extension(QC_STATEMENTS_EXTENSION_OID, false, new Uint8Array(value).buffer));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: issuer.cert.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions,
  });
  return { cert, keys };
}

async function writePair(dir: string, name: string, issued: Issued): Promise<CertificateFiles> {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}-key.pem`);
  writeFileSync(cert, issued.cert.toString('pem'));
  writeFileSync(key, await privateKeyPem(issued.keys.privateKey), { mode: 0o600 });
  return { cert, key };
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const body = der.toString('base64').replace(/.{64}/g, '$&\n').trimEnd();
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

function serial(): string {
  return `01${Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex')}`;
}

/**
 * The CAs' certificate revocation lists, the test CA's first: every certificate named `revoked` among the given client certificate
 * sets, revoked a day ago. The API listener checks client certificates against it, as a bank checks a QTSP's CRL.
 */
export async function revocationList(
  pki: TestPki,
  sets: Record<string, CertificateFiles>[],
): Promise<string[]> {
  const root = await loadIssuer(pki.ca, pki.caKey);
  const untrusted = await loadIssuer(pki.untrustedCa, pki.untrustedCaKey);
  const now = Date.now();
  const entries = sets
    .map((set) => set.revoked)
    .filter((files): files is CertificateFiles => files !== undefined)
    .map((files) => ({
      serialNumber: new x509.X509Certificate(readFileSync(files.cert, 'utf8')).serialNumber,
      revocationDate: new Date(now - DAY),
      reason: x509.X509CrlReason.keyCompromise,
    }));
  const sign = async (issuer: Issued, revoked: typeof entries) => {
    const crl = await x509.X509CrlGenerator.create({
      issuer: issuer.cert.subject,
      thisUpdate: new Date(now - DAY),
      nextUpdate: new Date(now + 30 * DAY),
      entries: revoked,
      signingAlgorithm: ALGORITHM,
      signingKey: issuer.keys.privateKey,
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)],
    });
    // OpenSSL reads the PEM label of RFC 7468 §5 ("X509 CRL"), not the library's "CRL".
    return crl.toString('pem').replace(/-----(BEGIN|END) CRL-----/g, '-----$1 X509 CRL-----');
  };
  // The untrusted CA's list (empty) too: where a fault trusts that CA, OpenSSL wants a CRL of each issuer.
  return [await sign(root, entries), await sign(untrusted, [])];
}
