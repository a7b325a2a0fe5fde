/**
 * The one place where secrets leave exchanges. Two layers: by name (headers, form fields, query
 * parameters and JSON keys that hold secrets), and by value (every secret the run knows, raw,
 * URL-encoded or base64-encoded, wherever it shows up: in a redirect URL, an HTML page, an error text).
 */
export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'api-key',
  'x-api-key',
  'psu-password',
]);

/** Form fields and query parameters whose value is always a secret. */
const SECRET_PARAMS = new Set([
  'client_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'password',
  'passphrase',
  'client_assertion',
  'api_key',
  'apikey',
]);

/** JSON keys whose value is always a secret ("code" is not one: it names tppMessages codes). */
const SECRET_JSON_KEYS = new Set([
  'client_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'code_verifier',
  'password',
  'encryptedpassword',
  'passphrase',
  'api_key',
  'apikey',
  'privatekey',
]);

const MIN_SECRET_LENGTH = 6;

export class Redactor {
  private readonly forms = new Map<string, true>();
  private pattern: RegExp | undefined;

  /** Registers a secret value; every later redaction hides it in all its encodings. */
  addSecret(value: string | undefined | null): void {
    if (!value || value.length < MIN_SECRET_LENGTH) return;
    const forms = [
      value,
      encodeURIComponent(value),
      new URLSearchParams({ v: value }).toString().slice(2),
      Buffer.from(value).toString('base64'),
      Buffer.from(value).toString('base64').replace(/=+$/, ''),
      Buffer.from(value).toString('base64url'),
    ];
    let added = false;
    for (const form of forms) {
      if (form.length >= MIN_SECRET_LENGTH && !this.forms.has(form)) {
        this.forms.set(form, true);
        added = true;
      }
    }
    if (added) this.pattern = undefined;
  }

  /** Registers the secret values a message carries under secret names, before any of it is recorded. */
  learn(body: string | undefined, contentType: string | undefined): void {
    if (!body) return;
    const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (media === 'application/x-www-form-urlencoded') {
      this.learnParams(body);
    } else if (media === 'application/json' || media.endsWith('+json')) {
      try {
        this.learnJson(JSON.parse(body));
      } catch {
        // Not JSON: nothing named to learn.
      }
    }
  }

  learnUrl(url: string | undefined): void {
    if (!url) return;
    const at = url.search(/[?#]/);
    if (at >= 0) this.learnParams(url.slice(at + 1).replace('#', '&'));
  }

  private learnParams(encoded: string): void {
    for (const [key, value] of new URLSearchParams(encoded)) {
      if (SECRET_PARAMS.has(key.toLowerCase())) this.addSecret(value);
    }
  }

  private learnJson(value: unknown): void {
    if (Array.isArray(value)) for (const item of value) this.learnJson(item);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (SECRET_JSON_KEYS.has(k.toLowerCase()) && typeof v === 'string') this.addSecret(v);
        else this.learnJson(v);
      }
    }
  }

  /** Adds the private key's body lines too, so a PEM quoted in part is still hidden. */
  addPem(pem: string | undefined): void {
    if (!pem) return;
    this.addSecret(pem.trim());
    for (const line of pem.split(/\r?\n/))
      if (line.length >= 40 && !line.startsWith('-----')) this.addSecret(line);
  }

  text(value: string): string {
    if (this.forms.size === 0 || value.length === 0) return value;
    this.pattern ??= new RegExp(
      [...this.forms.keys()]
        .sort((a, b) => b.length - a.length)
        .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    );
    return value.replace(this.pattern, REDACTED);
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? redactHeaderValue(name, value) : this.text(value);
    }
    return out;
  }

  url(url: string): string {
    const hashAt = url.indexOf('#');
    const queryAt = url.indexOf('?');
    let out = url;
    if (queryAt >= 0) {
      const end = hashAt > queryAt ? hashAt : url.length;
      out = url.slice(0, queryAt + 1) + this.params(url.slice(queryAt + 1, end)) + url.slice(end);
    }
    if (hashAt >= 0) {
      const fragment = out.slice(out.indexOf('#') + 1);
      if (fragment.includes('=')) out = `${out.slice(0, out.indexOf('#') + 1)}${this.params(fragment)}`;
    }
    return this.text(out);
  }

  /** A urlencoded parameter string (a query or a form body). */
  params(encoded: string): string {
    const params = new URLSearchParams(encoded);
    let changed = false;
    for (const key of [...new Set(params.keys())]) {
      if (SECRET_PARAMS.has(key.toLowerCase())) {
        params.set(key, REDACTED);
        changed = true;
      }
    }
    return this.text(
      changed ? params.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED) : encoded,
    );
  }

  body(body: string, contentType: string | undefined): string {
    if (body.length === 0) return body;
    const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (media === 'application/x-www-form-urlencoded') return this.params(body);
    if (media === 'application/json' || media.endsWith('+json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return this.text(body);
      }
      try {
        if (containsSecretKey(parsed)) return this.text(JSON.stringify(redactJson(parsed)));
      } catch {
        // Nested too deeply to walk (a hostile body): a secret in it could not be found, so none of it is kept.
        return `[a JSON body of ${body.length} characters, nested too deeply to redact: left out]`;
      }
    }
    return this.text(body);
  }
}

function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const scheme = /^(\w+)\s/.exec(value)?.[1];
    return scheme ? `${scheme} ${REDACTED}` : REDACTED;
  }
  if (lower === 'set-cookie' || lower === 'cookie') {
    return value.replace(/=([^;,\s]*)/g, `=${REDACTED}`);
  }
  return REDACTED;
}

function containsSecretKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSecretKey);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(
      ([k, v]) => SECRET_JSON_KEYS.has(k.toLowerCase()) || containsSecretKey(v),
    );
  }
  return false;
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_JSON_KEYS.has(k.toLowerCase()) ? REDACTED : redactJson(v),
      ]),
    );
  }
  return value;
}
