import { createHash } from 'node:crypto';

/**
 * RFC 7636 §4.6: the code_verifier matches an S256 code_challenge when BASE64URL(SHA256(ASCII(verifier)))
 * equals it. The sandbox has its own implementation, never the suite's: a suite and a reference bank
 * that share one would agree on a wrong answer (both are held to the RFC's Appendix B example).
 */
export function verifierMatchesS256(verifier: string, challenge: string): boolean {
  const digest = createHash('sha256').update(verifier, 'ascii').digest();
  return base64url(digest) === challenge;
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}
