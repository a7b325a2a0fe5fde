import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { UsageError } from '../errors.ts';
import type { Config } from './load.ts';

/** Client certificate material, read and checked once; what undici's connect options take. */
export interface TlsMaterial {
  cert?: Buffer;
  key?: Buffer;
  pfx?: Buffer;
  passphrase?: string;
  ca?: Buffer;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
}

export function loadTlsMaterial(tls: Config['tls'], now: Date = new Date()): TlsMaterial {
  const material: TlsMaterial = { minVersion: tls.minVersion ?? 'TLSv1.2' };
  if (tls.passphrase !== undefined) material.passphrase = tls.passphrase;
  if (tls.pfx && (tls.cert || tls.key)) {
    throw new UsageError('give the client certificate either as tls.pfx or as tls.cert + tls.key, not both');
  }
  if (tls.cert && !tls.key)
    throw new UsageError('tls.cert is set but tls.key is missing: give the private key file');
  if (tls.key && !tls.cert)
    throw new UsageError('tls.key is set but tls.cert is missing: give the certificate file');
  if (tls.cert && tls.key) {
    material.cert = readFile('tls.cert', tls.cert);
    material.key = readFile('tls.key', tls.key);
    const certificate = parseCertificate('tls.cert', tls.cert, material.cert);
    checkValidity('tls.cert', tls.cert, certificate, now);
    const key = parsePrivateKey(tls.key, material.key, tls.passphrase);
    if (!certificate.checkPrivateKey(key)) {
      throw new UsageError(
        `tls.key ${tls.key} does not belong to tls.cert ${tls.cert}: give the matching key`,
      );
    }
  }
  if (tls.pfx) {
    material.pfx = readFile('tls.pfx', tls.pfx);
    checkPkcs12(tls.pfx, material.pfx, tls.passphrase);
  }
  if (tls.ca) {
    material.ca = readFile('tls.ca', tls.ca);
    const blocks = material.ca
      .toString('utf8')
      .match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    if (!blocks || blocks.length === 0) {
      throw new UsageError(`tls.ca ${tls.ca} holds no PEM certificate: give the CA bundle in PEM form`);
    }
    for (const block of blocks)
      checkValidity('tls.ca', tls.ca, parseCertificate('tls.ca', tls.ca, block), now);
  }
  return material;
}

function readFile(key: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new UsageError(`${key} ${file} cannot be read: check the path`);
  }
}

function parseCertificate(key: string, file: string, data: Buffer | string): X509Certificate {
  try {
    return new X509Certificate(data);
  } catch {
    throw new UsageError(`${key} ${file} is not an X.509 certificate in PEM or DER form`);
  }
}

function checkValidity(key: string, file: string, certificate: X509Certificate, now: Date): void {
  const subject = certificate.subject.replaceAll('\n', ', ');
  if (new Date(certificate.validTo) < now) {
    throw new UsageError(`${key} ${file}: certificate "${subject}" expired on ${certificate.validTo}`);
  }
  if (new Date(certificate.validFrom) > now) {
    throw new UsageError(
      `${key} ${file}: certificate "${subject}" is not valid before ${certificate.validFrom}`,
    );
  }
}

function parsePrivateKey(file: string, data: Buffer, passphrase: string | undefined): KeyObject {
  const encrypted = /ENCRYPTED/.test(data.toString('latin1', 0, 200));
  if (encrypted && passphrase === undefined) {
    throw new UsageError(`tls.key ${file} is encrypted: set tls.passphrase or PSD2_CERT_PASSPHRASE`);
  }
  try {
    return createPrivateKey(passphrase === undefined ? { key: data } : { key: data, passphrase });
  } catch {
    if (encrypted) throw new UsageError(`tls.key ${file}: the passphrase is wrong`);
    throw new UsageError(`tls.key ${file} is not a private key in PEM or DER form`);
  }
}

function checkPkcs12(file: string, data: Buffer, passphrase: string | undefined): void {
  try {
    createSecureContext(passphrase === undefined ? { pfx: data } : { pfx: data, passphrase });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/mac verify|password|decrypt/i.test(reason)) {
      throw new UsageError(
        `tls.pfx ${file}: the passphrase is wrong (set tls.passphrase or PSD2_CERT_PASSPHRASE)`,
      );
    }
    if (/private key|key/i.test(reason)) {
      throw new UsageError(`tls.pfx ${file} holds no private key: export the PKCS#12 with its key`);
    }
    throw new UsageError(`tls.pfx ${file} is not a usable PKCS#12 file (${reason})`);
  }
}
