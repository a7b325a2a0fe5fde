/** The configuration file's schema: every key, what it holds. Unknown keys are errors. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    profile: { type: 'string', minLength: 1 },
    target: {
      type: 'object',
      additionalProperties: false,
      properties: {
        baseUrl: { type: 'string', format: 'uri' },
        tokenUrl: { type: 'string', format: 'uri' },
        authorizeUrl: { type: 'string', format: 'uri' },
        apiKey: { type: 'string', minLength: 1 },
      },
    },
    client: {
      type: 'object',
      additionalProperties: false,
      properties: {
        clientId: { type: 'string', minLength: 1 },
        clientSecret: { type: 'string', minLength: 1 },
        redirectUri: { type: 'string', format: 'uri' },
        authMethod: { enum: ['client_secret_post', 'client_secret_basic'] },
        pkce: { type: 'boolean' },
        scope: { type: 'string' },
      },
    },
    tls: {
      type: 'object',
      additionalProperties: false,
      properties: {
        cert: { type: 'string', minLength: 1 },
        key: { type: 'string', minLength: 1 },
        pfx: { type: 'string', minLength: 1 },
        passphrase: { type: 'string' },
        ca: { type: 'string', minLength: 1 },
        minVersion: { enum: ['TLSv1.2', 'TLSv1.3'] },
        certificates: {
          description:
            'Further client certificates by name (aisOnly, expired, ...), for the transport checks.',
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['cert', 'key'],
            properties: { cert: { type: 'string' }, key: { type: 'string' } },
          },
        },
      },
    },
    psu: {
      type: 'object',
      additionalProperties: false,
      properties: {
        id: { type: 'string', minLength: 1 },
        password: { type: 'string', minLength: 1 },
      },
    },
    http: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeoutMs: { type: 'integer', minimum: 100, maximum: 600000 },
        maxResponseBytes: { type: 'integer', minimum: 1024 },
      },
    },
    browser: {
      type: 'object',
      additionalProperties: false,
      properties: {
        executablePath: { type: 'string', minLength: 1 },
        headless: { type: 'boolean' },
        stepTimeoutMs: { type: 'integer', minimum: 100, maximum: 600000 },
      },
    },
    otherPsu: {
      description:
        "A second PSU of the target, for the checks that another PSU cannot grant the first PSU's accounts.",
      type: 'object',
      additionalProperties: false,
      required: ['id', 'password'],
      properties: {
        id: { type: 'string', minLength: 1 },
        password: { type: 'string', minLength: 1 },
      },
    },
    otherTpp: {
      description: 'A second TPP registered at the target, for the CONSENT_UNKNOWN checks.',
      type: 'object',
      additionalProperties: false,
      required: ['clientId', 'clientSecret', 'cert', 'key'],
      properties: {
        clientId: { type: 'string' },
        clientSecret: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
      },
    },
    fixtures: {
      description: 'Data the target provides for checks that cannot make it themselves.',
      type: 'object',
      additionalProperties: false,
      properties: {
        expiredConsent: {
          type: 'object',
          additionalProperties: false,
          required: ['consentId', 'accessToken'],
          properties: { consentId: { type: 'string' }, accessToken: { type: 'string' } },
        },
      },
    },
    partial: {
      description: 'A partial run: an access token and consent obtained elsewhere, no browser automation.',
      type: 'object',
      additionalProperties: false,
      properties: {
        accessToken: { type: 'string', minLength: 1 },
        consentId: { type: 'string', minLength: 1 },
        noTokenEndpoint: {
          description:
            'The target has no token endpoint to test (a mock, a half-built API): the given access token stands in for client_credentials, and the token endpoint checks are skipped. Leaving target.tokenUrl out means the same.',
          type: 'boolean',
        },
      },
    },
    sandbox: {
      description:
        'The embedded sandbox: faults of its catalogue to switch on (docs/faults.md), and the API it answers as.',
      type: 'object',
      additionalProperties: false,
      properties: {
        faults: { type: 'array', items: { type: 'string' } },
        flavour: { enum: ['berlin-group', 'mypos'] },
      },
    },
    waivers: { type: 'string', minLength: 1 },
    reportsDir: { type: 'string', minLength: 1 },
    requireTarget: { type: 'boolean' },
  },
} as const;

/** The environment variables that override the file, and the key each one sets. */
export const ENV_OVERRIDES: Record<string, string> = {
  PSD2_BASE_URL: 'target.baseUrl',
  PSD2_TOKEN_URL: 'target.tokenUrl',
  PSD2_AUTHORIZE_URL: 'target.authorizeUrl',
  PSD2_API_KEY: 'target.apiKey',
  PSD2_CLIENT_ID: 'client.clientId',
  PSD2_CLIENT_SECRET: 'client.clientSecret',
  PSD2_REDIRECT_URI: 'client.redirectUri',
  PSD2_CERT: 'tls.cert',
  PSD2_KEY: 'tls.key',
  PSD2_PFX: 'tls.pfx',
  PSD2_CERT_PASSPHRASE: 'tls.passphrase',
  PSD2_CA: 'tls.ca',
  PSD2_PSU_ID: 'psu.id',
  PSD2_PSU_PASSWORD: 'psu.password',
  PSD2_OTHER_PSU_ID: 'otherPsu.id',
  PSD2_OTHER_PSU_PASSWORD: 'otherPsu.password',
  PSD2_PROFILE: 'profile',
  PSD2_ACCESS_TOKEN: 'partial.accessToken',
  PSD2_CONSENT_ID: 'partial.consentId',
};

/**
 * The other PSD2_ variables the tool reads: its own settings, and what the CLI hands to the Playwright
 * run (they work with \`npx playwright test\` too). Any other PSD2_ variable is a misspelling.
 */
export const TOOL_VARIABLES = [
  'PSD2_BROWSER',
  'PSD2_SANDBOX_FAULTS',
  'PSD2_CONTRACT_CACHE',
  'PSD2_SANDBOX_CACHE',
  'PSD2_BG_OPENAPI',
  'PSD2_QUIET',
  'PSD2_HEADED',
  'PSD2_WAIVERS',
  'PSD2_CONFIG_FILE',
  'PSD2_REPORTS_DIR',
  'PSD2_WORKERS',
  'PSD2_BLOB',
  'PSD2_NO_TOKEN_ENDPOINT',
  'PSD2_EVIDENCE',
];
