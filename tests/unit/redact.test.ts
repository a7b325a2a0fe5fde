import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, Redactor } from '../../src/http/redact.ts';

const SECRET = 's3cr3t-Client/Secret+=';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.payload.signature';

function leaks(text: string, value: string): boolean {
  return [value, encodeURIComponent(value), Buffer.from(value).toString('base64')].some((form) =>
    text.includes(form),
  );
}

describe('redaction by name', () => {
  const r = new Redactor();

  it('hides secret headers, keeping the auth scheme', () => {
    const out = r.headers({
      Authorization: `Bearer ${TOKEN}`,
      'API-Key': 'myPOS-consumer-key',
      Cookie: 'session=abcdef123456; lang=en',
      'Set-Cookie': 'sid=zzzzzzzz; Path=/; HttpOnly',
      'X-Request-ID': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
    });
    assert.equal(out.Authorization, `Bearer ${REDACTED}`);
    assert.equal(out['API-Key'], REDACTED);
    assert.equal(out.Cookie, `session=${REDACTED}; lang=${REDACTED}`);
    assert.ok(!out['Set-Cookie']?.includes('zzzzzzzz'));
    assert.equal(out['X-Request-ID'], '99391c7e-ad88-49ec-a2ad-99ddcb1f7721');
  });

  it('hides secret query parameters and fragment parameters', () => {
    const url = r.url('https://tpp.example/cb?code=AUTH_CODE_12345&state=xyz#access_token=abc123456789');
    assert.ok(!url.includes('AUTH_CODE_12345'));
    assert.ok(!url.includes('abc123456789'));
    assert.ok(url.includes('state=xyz'));
  });

  it('hides secret form fields', () => {
    const form = `grant_type=authorization_code&code=AUTH_CODE_12345&client_id=tpp&client_secret=${encodeURIComponent(SECRET)}&code_verifier=verifier-0123456789`;
    const out = r.body(form, 'application/x-www-form-urlencoded');
    for (const secret of ['AUTH_CODE_12345', SECRET, 'verifier-0123456789'])
      assert.ok(!leaks(out, secret), out);
    assert.ok(out.includes('client_id=tpp'));
  });

  it('hides secret JSON keys at any depth, but keeps tppMessages codes', () => {
    const body = JSON.stringify({
      access_token: TOKEN,
      refresh_token: 'refresh-abcdef',
      nested: [{ psuData: { password: 'hunter2-long' } }],
      tppMessages: [{ category: 'ERROR', code: 'TOKEN_INVALID' }],
    });
    const out = r.body(body, 'application/json; charset=utf-8');
    for (const secret of [TOKEN, 'refresh-abcdef', 'hunter2-long']) assert.ok(!out.includes(secret), out);
    assert.ok(out.includes('TOKEN_INVALID'));
  });
});

describe('redaction by value', () => {
  it('hides a known secret raw, URL-encoded and base64-encoded anywhere in text', () => {
    const r = new Redactor();
    r.addSecret(SECRET);
    const text = `a ${SECRET} b ${encodeURIComponent(SECRET)} c ${Buffer.from(SECRET).toString('base64')} d`;
    const out = r.text(text);
    assert.ok(!leaks(out, SECRET), out);
    assert.equal(out.split(REDACTED).length, 4);
  });

  it('learns secrets from token responses and redirect URLs before they are recorded', () => {
    const r = new Redactor();
    r.learn(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer' }), 'application/json');
    r.learnUrl('https://tpp.example/cb?code=learned-code-777&state=s');
    const html = `<p>token ${TOKEN}</p><a href="/x?c=learned-code-777">`;
    const out = r.body(html, 'text/html');
    assert.ok(!out.includes(TOKEN) && !out.includes('learned-code-777'), out);
  });

  it('leaves out a JSON body too deeply nested to search for secrets', () => {
    const r = new Redactor();
    const body = `{"access_token":"${TOKEN}","x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    r.learn(body, 'application/json');
    const out = r.body(body, 'application/json');
    assert.ok(!out.includes(TOKEN), out.slice(0, 200));
    assert.match(out, /nested too deeply to redact/);
  });

  it('hides the lines of a private key PEM', () => {
    const r = new Redactor();
    const pem = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n${'B'.repeat(40)}\n-----END PRIVATE KEY-----`;
    r.addPem(pem);
    assert.ok(!r.text(`key: ${'A'.repeat(64)}`).includes('A'.repeat(64)));
  });

  it('leaves short values alone, so ordinary words are not mangled', () => {
    const r = new Redactor();
    r.addSecret('abc');
    assert.equal(r.text('abc def'), 'abc def');
  });
});
