import type { SandboxClientConfig } from './start.ts';

/**
 * The configuration file (psd2-conformance.yaml) that points a run at a running sandbox as a configured target:
 * what `sandbox --print-config` writes and `run --config` reads as it is.
 */
export function runConfigOf(c: SandboxClientConfig, profile?: string): Record<string, unknown> {
  const [psu, otherPsu] = c.psus;
  return {
    profile: profile ?? (c.flavour === 'mypos' ? 'mypos' : 'sandbox'),
    target: {
      baseUrl: c.baseUrl,
      tokenUrl: c.tokenUrl,
      authorizeUrl: c.authorizeUrl,
      ...(c.apiKey ? { apiKey: c.apiKey } : {}),
    },
    client: {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      redirectUri: c.redirectUri,
      authMethod: c.authMethod,
    },
    tls: { cert: c.cert, key: c.key, ca: c.ca, certificates: c.certificates },
    psu: psu ?? { id: '', password: '' },
    ...(otherPsu ? { otherPsu } : {}),
    otherTpp: c.otherTpp,
    fixtures: c.fixtures,
  };
}
