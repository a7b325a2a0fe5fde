import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifierMatchesS256 } from '../../sandbox/oauth/pkce.ts';
import { createPkce, s256 } from '../../src/oauth/pkce.ts';

// RFC 7636 Appendix B: the example code_verifier and its S256 code_challenge.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE S256, each side its own implementation, both held to RFC 7636 Appendix B', () => {
  it("the suite's challenge for the RFC's verifier is the RFC's challenge", () => {
    assert.equal(s256(VERIFIER), CHALLENGE);
  });

  it("the sandbox accepts the RFC's verifier for the RFC's challenge, and refuses others", () => {
    assert.equal(verifierMatchesS256(VERIFIER, CHALLENGE), true);
    assert.equal(verifierMatchesS256(`${VERIFIER}x`, CHALLENGE), false);
    assert.equal(verifierMatchesS256(VERIFIER, CHALLENGE.toLowerCase()), false);
  });

  it('the suite creates a 43-character verifier of the unreserved characters, and the sandbox accepts its challenge', () => {
    const pkce = createPkce();
    assert.match(pkce.verifier, /^[A-Za-z0-9._~-]{43,128}$/);
    assert.equal(pkce.method, 'S256');
    assert.equal(verifierMatchesS256(pkce.verifier, pkce.challenge), true);
  });
});
