import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { encodePsd2QcStatements, type Psd2Role, QC_STATEMENTS_EXTENSION_OID } from './qc-statement.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;
const PKI_VERSION = 2;

export const NCA = { name: 'Bulgarian National Bank', id: 'BG-BNB' };

/** The test certificates the sandbox hands out, by name. All but otherTpp belong to one TPP (one organizationIdentifier). */
export const CLIENT_CERTIFICATES = {
  allRoles: {
    roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
    org: 'PSDBG-BNB-1000001',
    cn: 'Conformance TPP (all roles)',
  },
  aisOnly: { roles: ['PSP_AI'], org: 'PSDBG-BNB-1000001', cn: 'Conformance TPP (AIS only)' },
  pisOnly: { roles: ['PSP_PI'], org: 'PSDBG-BNB-1000001', cn: 'Conformance TPP (PIS only)' },
  piisOnly: { roles: ['PSP_IC'], org: 'PSDBG-BNB-1000001', cn: 'Conformance TPP (PIIS only)' },
  otherTpp: {
    roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
    org: 'PSDBG-BNB-1000009',
    cn: 'Another TPP (all roles)',
  },
  expired: {
    roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
    org: 'PSDBG-BNB-1000001',
    cn: 'Conformance TPP (expired)',
  },
  untrusted: {
    roles: ['PSP_AS', 'PSP_PI', 'PSP_AI', 'PSP_IC'],
    org: 'PSDBG-BNB-1000001',
    cn: 'Conformance TPP (untrusted CA)',
  },
  noQcStatement: { roles: undefined, org: 'PSDBG-BNB-1000001', cn: 'Conformance TPP (no PSD2 QCStatement)' },
} as const satisfies Record<string, { roles: readonly Psd2Role[] | undefined; org: string; cn: string }>;

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
  server: CertificateFiles;
  clients: Record<ClientCertificateName, CertificateFiles>;
}

interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** Loads the PKI from `dir`, or generates it there when it is missing, stale or about to expire. */
export async function ensureTestPki(dir: string): Promise<TestPki> {
  const manifestFile = path.join(dir, 'manifest.json');
  if (existsSync(manifestFile)) {
    try {
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
        version: number;
        notAfter: string;
        pki: TestPki;
      };
      const fresh =
        manifest.version === PKI_VERSION && new Date(manifest.notAfter).getTime() - Date.now() > 7 * DAY;
      if (fresh && existsSync(manifest.pki.ca)) return manifest.pki;
    } catch {
      // A damaged cache is regenerated below.
    }
  }
  return generateTestPki(dir);
}

export async function generateTestPki(dir: string): Promise<TestPki> {
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
  const clients = {} as Record<ClientCertificateName, CertificateFiles>;
  for (const [name, spec] of Object.entries(CLIENT_CERTIFICATES) as [
    ClientCertificateName,
    (typeof CLIENT_CERTIFICATES)[ClientCertificateName],
  ][]) {
    const expired = name === 'expired';
    const issuer = name === 'untrusted' ? untrustedRoot : root;
    const issued = await issue(
      issuer,
      `CN=${spec.cn}, O=Conformance TPP Ltd, 2.5.4.97=${spec.org}, C=BG`,
      expired ? new Date(now - 400 * DAY) : notBefore,
      expired ? new Date(now - 30 * DAY) : notAfter,
      { roles: spec.roles },
    );
    clients[name] = await write(`client-${name}`, issued);
  }
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, root.cert.toString('pem'));
  const untrustedCaFile = path.join(dir, 'untrusted-ca.pem');
  writeFileSync(untrustedCaFile, untrustedRoot.cert.toString('pem'));
  const pki: TestPki = {
    dir,
    ca: caFile,
    untrustedCa: untrustedCaFile,
    caKey: (await write('ca', root)).key,
    server: await write('server', server),
    clients,
  };
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ version: PKI_VERSION, notAfter: notAfter.toISOString(), pki }, null, 2),
  );
  return pki;
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
  options: { server?: boolean; roles?: readonly Psd2Role[] | undefined },
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
  if (options.server) {
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
