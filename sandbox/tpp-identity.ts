import 'reflect-metadata';
import type { TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';
import {
  decodePsd2QcStatements,
  ORGANIZATION_IDENTIFIER_OID,
  type Psd2Role,
  QC_STATEMENTS_EXTENSION_OID,
} from './pki/qc-statement.ts';

export interface TppIdentity {
  subject: string;
  organizationId: string | undefined;
  /** undefined when the certificate carries no PSD2 QCStatement */
  roles: Psd2Role[] | undefined;
}

const cache = new WeakMap<TLSSocket, TppIdentity | null>();

/** Who is calling, from the client certificate of the TLS connection (ETSI TS 119 495 attributes). */
export function tppIdentity(socket: TLSSocket): TppIdentity | undefined {
  const cached = cache.get(socket);
  if (cached !== undefined) return cached ?? undefined;
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate(true) : undefined;
  let identity: TppIdentity | null = null;
  if (peer?.raw) {
    try {
      const certificate = new x509.X509Certificate(new Uint8Array(peer.raw));
      const extension = certificate.getExtension(QC_STATEMENTS_EXTENSION_OID);
      const attributes = extension ? decodePsd2QcStatements(new Uint8Array(extension.value)) : undefined;
      identity = {
        subject: certificate.subject,
        organizationId: certificate.subjectName.getField(ORGANIZATION_IDENTIFIER_OID)[0],
        roles: attributes?.roles,
      };
    } catch {
      identity = null;
    }
  }
  cache.set(socket, identity);
  return identity ?? undefined;
}

export const ROLE_FOR_SERVICE: Record<string, Psd2Role> = { AIS: 'PSP_AI', PIS: 'PSP_PI', PIIS: 'PSP_IC' };
