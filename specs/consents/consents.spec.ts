import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import { expectCreated } from '../../src/harness/expect-created.ts';
import { expectError } from '../../src/harness/expect-error.ts';
import { consentBody, isoDay } from '../../src/harness/test-data.ts';
import type { Xs2aCall } from '../../src/xs2a/api.ts';

const check = checksOf('Consents');

/** Recurring, within the 4 reads a day Berlin Group allows unless agreed otherwise. */
const RECURRING = consentBody({ recurringIndicator: true, validUntil: isoDay(30), frequencyPerDay: 4 });

test(
  ...check({
    id: 'CON-001',
    title: 'Creating a consent answers 201 Created',
    reference: 'BG IG 1.3 §6.3.1.1 createConsent',
    severity: 'blocker',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    expect((await api.createConsent()).status).toBe(201);
  }),
);

test(
  ...check({
    id: 'CON-002',
    title: 'A new consent has consentStatus received',
    reference: 'BG IG 1.3 §6.3.1.1 createConsent',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const response = await api.createConsent();
    expect(response.json<{ consentStatus?: string }>().consentStatus).toBe('received');
  }),
);

test(
  ...check({
    id: 'CON-003',
    title: 'The 201 response carries a Location header',
    reference: 'BG IG 1.3 §6.3.1.1 createConsent',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const response = await api.createConsent();
    expect(response.header('location'), 'Location header').toBeTruthy();
  }),
);

test(
  ...check({
    id: 'CON-004',
    title: 'The Location header points at the created consent',
    reference: 'BG IG 1.3 §6.3.1.1 createConsent; RFC 9110 §10.2.2',
    severity: 'normal',
    operations: ['createConsent', 'getConsentInformation'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const response = await api.createConsent();
    const location = response.header('location');
    expect(location, 'Location header').toBeTruthy();
    const { consentId } = response.json<{ consentId: string }>();
    expect(location ?? '', 'Location names the consent').toContain(consentId);
    expect((await api.get(location ?? '')).status, 'GET on the Location').toBe(200);
  }),
);

test(
  ...check({
    id: 'CON-005',
    title: 'The 201 response carries ASPSP-SCA-Approach REDIRECT',
    reference: 'BG IG 1.3 §6.3.1.1 createConsent',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const response = await api.createConsent();
    expect(response.header('aspsp-sca-approach')).toBe('REDIRECT');
  }),
);

test(
  ...check({
    id: 'CON-006',
    title: "The 201 response links to the SCA (_links.scaRedirect or the profile's link)",
    reference: 'BG IG 1.3 §6.3.1.1 createConsent; myPOS overview AIS step 2',
    severity: 'blocker',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(async ({ api, sca }) => {
    const response = await api.createConsent();
    const url = sca.scaStartUrl(response, { consentId: response.json<{ consentId: string }>().consentId });
    expect(url).toMatch(/^https:\/\//);
  }),
);

test(
  ...check({
    id: 'CON-007',
    title: 'The consentId is returned and non-empty',
    reference: 'BG IG 1.3 §6.3.1.1 createConsent',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const response = await api.createConsent();
    expect(typeof response.json<{ consentId?: unknown }>().consentId).toBe('string');
    expect(response.json<{ consentId: string }>().consentId.length).toBeGreaterThan(0);
  }),
);

test(
  ...check({
    id: 'CON-008',
    title:
      'A recurring consent reads back its recurringIndicator, validUntil and frequencyPerDay as requested',
    reference:
      'BG IG 1.3 §6.3.4 getConsentInformation; BG OpenAPI 1.3.12 frequencyPerDay ("less equal to 4" unless agreed)',
    severity: 'critical',
    operations: ['getConsentInformation'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent(RECURRING)).json<{ consentId: string }>();
    const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}`);
    expect(response.status).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect({
      recurringIndicator: body.recurringIndicator,
      validUntil: body.validUntil,
      frequencyPerDay: body.frequencyPerDay,
    }).toEqual({
      recurringIndicator: RECURRING.recurringIndicator,
      validUntil: RECURRING.validUntil,
      frequencyPerDay: RECURRING.frequencyPerDay,
    });
  }),
);

test(
  ...check({
    id: 'CON-009',
    title: 'The consent carries lastActionDate',
    reference: 'BG IG 1.3 §6.3.4 getConsentInformation',
    severity: 'normal',
    operations: ['getConsentInformation'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const body = (await api.get(`/v1/consents/${encodeURIComponent(consentId)}`)).json<{
      lastActionDate?: string;
    }>();
    expect(body.lastActionDate ?? '').toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }),
);

test(
  ...check({
    id: 'CON-010',
    title: 'The status of a new consent reads received',
    reference: 'BG IG 1.3 §6.3.3 getConsentStatus',
    severity: 'critical',
    operations: ['getConsentStatus'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/status`);
    expect(response.status).toBe(200);
    expect(response.json<{ consentStatus?: string }>().consentStatus).toBe('received');
  }),
);

test(
  ...check({
    id: 'CON-011',
    title: 'Deleting a consent answers 204 No Content',
    reference: 'BG IG 1.3 §6.3.5 deleteConsent',
    severity: 'critical',
    operations: ['deleteConsent'],
    tags: ['mandatory'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { consent } = await sca.authorisedConsent();
    const response = await api.send({
      method: 'DELETE',
      url: `/v1/consents/${encodeURIComponent(consent.consentId)}`,
    });
    expect(response.status).toBe(204);
  }),
);

test(
  ...check({
    id: 'CON-012',
    title: 'A deleted consent reads terminatedByTpp',
    reference: 'BG IG 1.3 §6.3.5',
    severity: 'critical',
    operations: ['getConsentStatus'],
    tags: ['mandatory'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { consent } = await sca.authorisedConsent();
    await api.send({ method: 'DELETE', url: `/v1/consents/${encodeURIComponent(consent.consentId)}` });
    const response = await api.get(`/v1/consents/${encodeURIComponent(consent.consentId)}/status`);
    expect(response.json<{ consentStatus?: string }>().consentStatus).toBe('terminatedByTpp');
  }),
);

/** After the TPP deletes the consent, a read under it is refused (CON-013, CON-014, CON-015). */
function refusedAfterDeletion(read: (accountId: string) => string): CheckBody {
  return async ({ api, sca }) => {
    const { consent } = await sca.authorisedConsent();
    const accounts = (await api.read(consent, '/v1/accounts')).json<{
      accounts: { resourceId?: string; accountNumber?: string }[];
    }>().accounts;
    expect(
      (await api.send({ method: 'DELETE', url: `/v1/consents/${encodeURIComponent(consent.consentId)}` }))
        .status,
    ).toBeLessThan(300);
    const response = await api.read(consent, read(api.accountId(accounts[0])));
    expectError(
      response,
      [401, 403],
      ['CONSENT_INVALID', 'CONSENT_EXPIRED', 'CONSENT_UNKNOWN', 'TOKEN_INVALID'],
    );
  };
}

test(
  ...check({
    id: 'CON-013',
    title: 'After deletion the account list is refused (CONSENT_INVALID or CONSENT_EXPIRED)',
    reference: 'BG IG 1.3 §6.3.5; §14.11 CONSENT_INVALID',
    severity: 'blocker',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['sca'],
  })(refusedAfterDeletion(() => '/v1/accounts')),
);

test(
  ...check({
    id: 'CON-014',
    title: 'After deletion balances are refused (CONSENT_INVALID or CONSENT_EXPIRED)',
    reference: 'BG IG 1.3 §6.3.5; §14.11 CONSENT_INVALID',
    severity: 'blocker',
    operations: ['getBalances'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['sca'],
  })(refusedAfterDeletion((accountId) => `/v1/accounts/${encodeURIComponent(accountId)}/balances`)),
);

test(
  ...check({
    id: 'CON-015',
    title: 'After deletion transactions are refused (CONSENT_INVALID or CONSENT_EXPIRED)',
    reference: 'BG IG 1.3 §6.3.5; §14.11 CONSENT_INVALID',
    severity: 'blocker',
    operations: ['getTransactionList'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['sca'],
  })(
    refusedAfterDeletion(
      (accountId) =>
        `/v1/accounts/${encodeURIComponent(accountId)}/transactions?bookingStatus=booked&dateFrom=${isoDay(-30)}`,
    ),
  ),
);

test(
  ...check({
    id: 'CON-016',
    title: 'A TPP-initiated read beyond frequencyPerDay is refused with 429 ACCESS_EXCEEDED',
    reference: 'BG IG 1.3 §6.3.1.1 frequencyPerDay; §14.11 ACCESS_EXCEEDED',
    severity: 'critical',
    operations: ['getBalances'],
    tags: ['mandatory', 'negative'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { consent } = await sca.authorisedConsent(consentBody({ frequencyPerDay: 2 }));
    const { accounts } = (await api.read(consent, '/v1/accounts', { psuInitiated: true })).json<{
      accounts: { resourceId?: string; accountNumber?: string }[];
    }>();
    const url = `/v1/accounts/${encodeURIComponent(api.accountId(accounts[0]))}/balances`;
    for (let i = 0; i < 2; i++)
      expect((await api.read(consent, url)).status, `TPP-initiated read ${i + 1} of 2`).toBe(200);
    expectError(await api.read(consent, url), 429, ['ACCESS_EXCEEDED']);
  }),
);

test(
  ...check({
    id: 'CON-017',
    title: 'Reads the PSU initiates (with PSU-IP-Address) do not count against frequencyPerDay',
    reference: 'BG IG 1.3 §6.3.1.1 frequencyPerDay; PSU-IP-Address',
    severity: 'normal',
    operations: ['getBalances'],
    tags: ['mandatory'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const { consent } = await sca.authorisedConsent(consentBody({ frequencyPerDay: 1 }));
    const { accounts } = (await api.read(consent, '/v1/accounts', { psuInitiated: true })).json<{
      accounts: { resourceId?: string; accountNumber?: string }[];
    }>();
    const url = `/v1/accounts/${encodeURIComponent(api.accountId(accounts[0]))}/balances`;
    for (let i = 0; i < 3; i++) {
      expect(
        (await api.read(consent, url, { psuInitiated: true })).status,
        `PSU-initiated read ${i + 1}`,
      ).toBe(200);
    }
  }),
);

test(
  ...check({
    id: 'CON-018',
    title: "Another TPP's consent is refused with 403 CONSENT_UNKNOWN",
    reference: 'BG IG 1.3 §14.11 CONSENT_UNKNOWN',
    severity: 'blocker',
    operations: ['getConsentInformation'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherTpp'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const response = await api.send({
      method: 'GET',
      url: `/v1/consents/${encodeURIComponent(consentId)}`,
      ...(await api.asOtherTpp()),
    });
    expectError(response, [401, 403], ['CONSENT_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'CON-019',
    title: "Reading accounts under another TPP's consent is refused with 403 CONSENT_UNKNOWN",
    reference: 'BG IG 1.3 §14.11 CONSENT_UNKNOWN',
    severity: 'blocker',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherTpp'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const response = await api.send({
      method: 'GET',
      url: '/v1/accounts',
      consentId: consent.consentId,
      ...(await api.asOtherTpp()),
    });
    expectError(response, [401, 403], ['CONSENT_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'CON-020',
    title: 'A consent with validUntil in the past is refused with 400',
    reference: 'BG IG 1.3 §6.3.1.1 validUntil',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    expectError(await api.createConsent(consentBody({ validUntil: isoDay(-1) })), 400, [
      'FORMAT_ERROR',
      'PERIOD_INVALID',
      'TIMESTAMP_INVALID',
    ]);
  }),
);

test(
  ...check({
    id: 'CON-021',
    title: 'A consent without access is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 consents (required access)',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const { access: _access, ...withoutAccess } = consentBody();
    expectError(await api.createConsent(withoutAccess), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'CON-022',
    title: 'A consent with frequencyPerDay 0 is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 frequencyPerDay minimum 1',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    expectError(await api.createConsent(consentBody({ frequencyPerDay: 0 })), 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'CON-023',
    title: 'An unknown consentId is refused with CONSENT_UNKNOWN (403) or RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §14.11 CONSENT_UNKNOWN',
    severity: 'critical',
    operations: ['getConsentStatus'],
    tags: ['mandatory', 'negative', 'security'],
  })(async ({ api }) => {
    const response = await api.get('/v1/consents/psd2-conformance-no-such-consent/status');
    expectError(response, [400, 403, 404], ['CONSENT_UNKNOWN', 'RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'CON-024',
    title: 'Starting a consent authorisation answers 201 with an authorisationId and scaStatus',
    reference: 'BG IG 1.3 §7.1 startConsentAuthorisation',
    severity: 'normal',
    operations: ['startConsentAuthorisation'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const response = await startAuthorisation(api, consentId);
    expect(response.status).toBe(201);
    const body = response.json<{ authorisationId?: string; scaStatus?: string }>();
    expect(body.authorisationId).toBeTruthy();
    expect(body.scaStatus).toBe('received');
  }),
);

test(
  ...check({
    id: 'CON-025',
    title: 'The authorisation sub-resources of a consent are listed',
    reference: 'BG IG 1.3 §7.5 getConsentAuthorisation',
    severity: 'minor',
    operations: ['getConsentAuthorisation'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/authorisations`);
    expect(response.status).toBe(200);
    expect(Array.isArray(response.json<{ authorisationIds?: unknown }>().authorisationIds)).toBe(true);
  }),
);

test(
  ...check({
    id: 'CON-026',
    title: 'A consent past validUntil is refused with 401 CONSENT_EXPIRED',
    reference: 'BG IG 1.3 §6.3.1.1 validUntil; §14.11 CONSENT_EXPIRED',
    severity: 'critical',
    operations: ['getAccountList'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['expiredConsentFixture'],
  })(async ({ api, tpp }) => {
    const expired = tpp.settings.fixtures.expiredConsent;
    const response = await api.read(
      { consentId: expired?.consentId ?? '', accessToken: expired?.accessToken ?? '' },
      '/v1/accounts',
    );
    expectError(response, 401, ['CONSENT_EXPIRED']);
  }),
);

test(
  ...check({
    id: 'CON-027',
    title: 'A bank-offered consent (empty access lists) is accepted',
    reference: 'BG IG 1.3 §6.3.1.1; myPOS overview AIS step 2',
    severity: 'critical',
    operations: ['createConsent'],
    tags: ['mandatory'],
    requires: ['bankOfferedConsent'],
  })(async ({ api }) => {
    const response = await api.createConsent(
      consentBody({ access: { accounts: [], balances: [], transactions: [] } }),
    );
    expect(response.status).toBe(201);
  }),
);

test(
  ...check({
    id: 'CON-028',
    title:
      'A one-off consent asking frequencyPerDay 4 is refused with 400 FORMAT_ERROR, or created with frequencyPerDay 1',
    reference:
      'BG OpenAPI 1.3.12 frequencyPerDay ("For a one-off access, this attribute is set to 1"), recurringIndicator; either answer allowed',
    severity: 'normal',
    operations: ['createConsent', 'getConsentInformation'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const oneOff = consentBody({ recurringIndicator: false, validUntil: isoDay(30), frequencyPerDay: 4 });
    const created = await api.createConsent(oneOff);
    if (created.status !== 201) {
      expectError(created, 400, ['FORMAT_ERROR']);
      test.info().annotations.push({ type: 'bank-choice', description: 'refused with 400 FORMAT_ERROR' });
      return;
    }
    const { consentId } = created.json<{ consentId: string }>();
    const body = (await api.get(`/v1/consents/${encodeURIComponent(consentId)}`)).json<
      Record<string, unknown>
    >();
    expect(
      { recurringIndicator: body.recurringIndicator, frequencyPerDay: body.frequencyPerDay },
      'a one-off consent the bank created',
    ).toEqual({ recurringIndicator: false, frequencyPerDay: 1 });
    test.info().annotations.push({ type: 'bank-choice', description: 'created with frequencyPerDay 1' });
  }),
);

/** Starts an authorisation of a consent, as its own TPP or through another's client and token. */
function startAuthorisation(
  api: Parameters<CheckBody>[0]['api'],
  consentId: string,
  as: Pick<Xs2aCall, 'token' | 'via'> = {},
) {
  return api.startAuthorisation(`/v1/consents/${encodeURIComponent(consentId)}`, as);
}

test(
  ...check({
    id: 'CON-029',
    title:
      'Starting an authorisation of a deleted consent is refused (409 STATUS_INVALID or 401 CONSENT_INVALID)',
    reference:
      'BG IG 1.3 §7.1 startConsentAuthorisation; §14.11 STATUS_INVALID (the resource does not allow additional authorisation), CONSENT_INVALID',
    severity: 'critical',
    operations: ['startConsentAuthorisation'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const deleted = await api.send({
      method: 'DELETE',
      url: `/v1/consents/${encodeURIComponent(consentId)}`,
    });
    // Whether the delete answers 204 is CON-011's rule; here it only has to succeed.
    expect([200, 202, 204], `deleting the consent: ${deleted.body.slice(0, 200)}`).toContain(deleted.status);
    expectError(await startAuthorisation(api, consentId), [401, 409], ['STATUS_INVALID', 'CONSENT_INVALID']);
  }),
);

test(
  ...check({
    id: 'CON-030',
    title: 'Another TPP cannot start an authorisation of a consent (403 CONSENT_UNKNOWN)',
    reference: 'BG IG 1.3 §7.1 startConsentAuthorisation; §14.11 CONSENT_UNKNOWN',
    severity: 'blocker',
    operations: ['startConsentAuthorisation'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherTpp'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const response = await startAuthorisation(api, consentId, await api.asOtherTpp());
    expectError(response, [401, 403], ['CONSENT_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'CON-031',
    title: "Another TPP cannot list a consent's authorisations (403 CONSENT_UNKNOWN)",
    reference: 'BG IG 1.3 §7.5 getConsentAuthorisation; §14.11 CONSENT_UNKNOWN',
    severity: 'critical',
    operations: ['getConsentAuthorisation'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherTpp'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    expect((await startAuthorisation(api, consentId)).status).toBe(201);
    const response = await api.send({
      method: 'GET',
      url: `/v1/consents/${encodeURIComponent(consentId)}/authorisations`,
      ...(await api.asOtherTpp()),
    });
    expectError(response, [401, 403], ['CONSENT_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'CON-032',
    title: 'Another TPP cannot delete a consent: refused with 403 CONSENT_UNKNOWN, and the consent lives on',
    reference: 'BG IG 1.3 §6.3.5 deleteConsent; §14.11 CONSENT_UNKNOWN',
    severity: 'blocker',
    operations: ['deleteConsent', 'getConsentStatus'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherTpp'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const response = await api.send({
      method: 'DELETE',
      url: `/v1/consents/${encodeURIComponent(consentId)}`,
      ...(await api.asOtherTpp()),
    });
    expectError(response, [401, 403], ['CONSENT_UNKNOWN']);
    const status = await api.get(`/v1/consents/${encodeURIComponent(consentId)}/status`);
    expect(status.status).toBe(200);
    expect(status.json<{ consentStatus?: string }>().consentStatus).not.toBe('terminatedByTpp');
  }),
);

/** Refusals of an access token issued for another consent: the token or the consent is not valid for the call. */
const NOT_THIS_CONSENTS_TOKEN: [number[], string[]] = [
  [401, 403],
  ['TOKEN_INVALID', 'CONSENT_INVALID', 'TOKEN_UNKNOWN', 'CONSENT_UNKNOWN'],
];
/** Reads another, new consent (its details, or `suffix` under them) with the run's consent's token. */
function readsAnotherConsentWithItsToken(suffix: '' | '/status'): CheckBody {
  return async ({ api, consent }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const response = await api.get(`/v1/consents/${encodeURIComponent(consentId)}${suffix}`, {
      token: consent.accessToken,
    });
    expectError(response, ...NOT_THIS_CONSENTS_TOKEN);
  };
}

const TOKEN_BOUND_TO_ITS_CONSENT =
  'BG IG 1.3 §6 (the PSU authorises the access of one consent); RFC 6750 §3.1 invalid_token; BG IG 1.3 §14.11 TOKEN_INVALID, CONSENT_INVALID';

test(
  ...check({
    id: 'CON-033',
    title: "A consent's access token is refused on another consent's status",
    reference: `${TOKEN_BOUND_TO_ITS_CONSENT}; §6.3.3 getConsentStatus`,
    severity: 'critical',
    operations: ['getConsentStatus'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['consent'],
  })(readsAnotherConsentWithItsToken('/status')),
);

test(
  ...check({
    id: 'CON-034',
    title: "A consent's access token is refused on another consent's details",
    reference: `${TOKEN_BOUND_TO_ITS_CONSENT}; §6.3.4 getConsentInformation`,
    severity: 'critical',
    operations: ['getConsentInformation'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['consent'],
  })(readsAnotherConsentWithItsToken('')),
);

test(
  ...check({
    id: 'CON-035',
    title: "A consent's access token cannot delete another consent: refused, and that consent lives on",
    reference: `${TOKEN_BOUND_TO_ITS_CONSENT}; §6.3.5 deleteConsent`,
    severity: 'blocker',
    operations: ['deleteConsent', 'getConsentStatus'],
    tags: ['mandatory', 'negative', 'security'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const url = `/v1/consents/${encodeURIComponent(consentId)}`;
    const response = await api.send({ method: 'DELETE', url, token: consent.accessToken });
    expectError(response, ...NOT_THIS_CONSENTS_TOKEN);
    const status = await api.get(`${url}/status`);
    expect(status.status, `reading the consent's status: ${status.body.slice(0, 200)}`).toBe(200);
    expect(status.json<{ consentStatus?: string }>().consentStatus).not.toBe('terminatedByTpp');
  }),
);

/** A consent whose SCA is over takes no further authorisation (CON-036, CON-037). */
const NO_ADDITIONAL_AUTHORISATION =
  'BG IG 1.3 §7.1 startConsentAuthorisation; §14.11 STATUS_INVALID (the addressed resource does not allow additional authorisation), CONSENT_INVALID';

test(
  ...check({
    id: 'CON-036',
    title:
      'Starting an authorisation of a consent the PSU approved is refused (409 STATUS_INVALID or 401 CONSENT_INVALID)',
    reference: NO_ADDITIONAL_AUTHORISATION,
    severity: 'normal',
    operations: ['startConsentAuthorisation'],
    tags: ['mandatory', 'negative'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    // The run's consent: the PSU approved it, and a refused start leaves it as it was.
    expectError(
      await startAuthorisation(api, consent.consentId),
      [401, 409],
      ['STATUS_INVALID', 'CONSENT_INVALID'],
    );
  }),
);

test(
  ...check({
    id: 'CON-037',
    title:
      'Starting an authorisation of a consent the PSU declined is refused (409 STATUS_INVALID or 401 CONSENT_INVALID)',
    reference: NO_ADDITIONAL_AUTHORISATION,
    severity: 'normal',
    operations: ['startConsentAuthorisation'],
    tags: ['mandatory', 'negative'],
    needs: ['sca'],
  })(async ({ api, sca }) => {
    const created = await api.createConsent();
    const { consentId } = created.json<{ consentId: string }>();
    const declined = await sca.runSca(sca.scaStartUrl(created, { consentId }), 'decline');
    // Whether the decline comes back as access_denied is SCA-004's rule; here the SCA only has to end.
    expect(declined.outcome.code, 'a declined SCA issued a code').toBeUndefined();
    expectError(await startAuthorisation(api, consentId), [401, 409], ['STATUS_INVALID', 'CONSENT_INVALID']);
  }),
);

/** A consent request the contract refuses, answered 400 FORMAT_ERROR. */
function refusedRequest(body: Record<string, unknown>): CheckBody {
  return async ({ api }) => {
    expectError(await api.createConsent(body), 400, ['FORMAT_ERROR']);
  };
}

/** The detailed consent body without one of its required fields. */
function without(field: string): Record<string, unknown> {
  const { [field]: _, ...rest } = RECURRING;
  return rest;
}

const DETAILED_ON = (reference: Record<string, unknown>) =>
  consentBody({ access: { accounts: [reference], balances: [], transactions: [] } });

test(
  ...check({
    id: 'CON-038',
    title: 'A consent naming a malformed IBAN is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 accountReference iban (pattern); BG IG 1.3 §14.11 FORMAT_ERROR; ISO 13616',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest(DETAILED_ON({ iban: 'DE89 3704 0044 0532' }))),
);

test(
  ...check({
    id: 'CON-039',
    title: 'A consent whose account reference names the currency "EURO" is refused with 400 FORMAT_ERROR',
    reference:
      'BG OpenAPI 1.3.12 accountReference currency (currencyCode, ISO 4217); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest(DETAILED_ON({ iban: 'DE89370400440532013000', currency: 'EURO' }))),
);

test(
  ...check({
    id: 'CON-040',
    title: 'A consent with a negative frequencyPerDay is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 frequencyPerDay minimum 1; BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest({ ...RECURRING, frequencyPerDay: -1 })),
);

test(
  ...check({
    id: 'CON-041',
    title: 'A consent whose validUntil is not an ISO date (31.12.2030) is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 validUntil (format date); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest({ ...RECURRING, validUntil: '31.12.2030' })),
);

test(
  ...check({
    id: 'CON-042',
    title: 'A consent whose recurringIndicator is the string "true" is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 recurringIndicator (boolean); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest({ ...RECURRING, recurringIndicator: 'true' })),
);

test(
  ...check({
    id: 'CON-043',
    title: 'A consent without recurringIndicator is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 consents (recurringIndicator required); BG IG 1.3 §6.3.1.1',
    severity: 'minor',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest(without('recurringIndicator'))),
);

test(
  ...check({
    id: 'CON-044',
    title: 'A consent without validUntil is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 consents (validUntil required); BG IG 1.3 §6.3.1.1',
    severity: 'minor',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest(without('validUntil'))),
);

test(
  ...check({
    id: 'CON-045',
    title: 'A consent without frequencyPerDay is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 consents (frequencyPerDay required); BG IG 1.3 §6.3.1.1',
    severity: 'minor',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest(without('frequencyPerDay'))),
);

test(
  ...check({
    id: 'CON-046',
    title: 'A consent without combinedServiceIndicator is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 consents (combinedServiceIndicator required); BG IG 1.3 §6.3.1.1',
    severity: 'minor',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest(without('combinedServiceIndicator'))),
);

test(
  ...check({
    id: 'CON-047',
    title: 'A consent with allPsd2 "everything" is refused with 400 FORMAT_ERROR',
    reference:
      'BG OpenAPI 1.3.12 accountAccess allPsd2 (allAccounts or allAccountsWithOwnerName); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest(consentBody({ access: { allPsd2: 'everything' } }))),
);

test(
  ...check({
    id: 'CON-048',
    title: 'A consent with availableAccounts "some" is refused with 400 FORMAT_ERROR',
    reference:
      'BG OpenAPI 1.3.12 accountAccess availableAccounts (allAccounts or allAccountsWithOwnerName); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'minor',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(refusedRequest(consentBody({ access: { availableAccounts: 'some' } }))),
);

test(
  ...check({
    id: 'CON-049',
    title:
      'A field the bank does not know in access is ignored (201) or refused with 400 FORMAT_ERROR, never a server error',
    reference:
      'BG OpenAPI 1.3.12 accountAccess (no additionalProperties: false); BG IG 1.3 §14.11 FORMAT_ERROR; RFC 9110 §15.6',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const body = consentBody();
    const access = { ...(body.access as object), psd2ConformanceUnknownField: true };
    const response = await api.createConsent({ ...body, access });
    if (response.status === 201) return;
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'CON-050',
    title: 'A consent asking the maximal validity (validUntil 9999-12-31) is created',
    reference:
      'BG OpenAPI 1.3.12 validUntil ("If a maximal available date is requested, a date in far future is to be used: 9999-12-31"; "Future dates might get adjusted by ASPSP")',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const response = await api.createConsent(consentBody({ validUntil: '9999-12-31' }));
    expect(response.status, response.body.slice(0, 300)).toBe(201);
  }),
);

test(
  ...check({
    id: 'CON-051',
    title: 'An unknown authorisationId of a consent is refused with RESOURCE_UNKNOWN',
    reference: 'BG IG 1.3 §7.6 getConsentScaStatus; §14.11 RESOURCE_UNKNOWN',
    severity: 'normal',
    operations: ['getConsentScaStatus'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const path = await api.createdConsentPath();
    const response = await api.get(`${path}/authorisations/psd2-conformance-no-such-authorisation`);
    expectError(response, [403, 404], ['RESOURCE_UNKNOWN']);
  }),
);

test(
  ...check({
    id: 'CON-052',
    title: 'The scaStatus link of a new consent leads to its authorisation, which reads received',
    reference:
      'BG IG 1.3 §6.3.1.1 createConsent (_links scaStatus, "if an authorisation sub-resource has been already created"); §7.6 getConsentScaStatus',
    severity: 'normal',
    operations: ['createConsent', 'getConsentScaStatus'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const created = await api.createConsent();
    expect(created.status).toBe(201);
    const href = created.json<{ _links?: { scaStatus?: { href?: string } } }>()._links?.scaStatus?.href;
    expect(href, '_links.scaStatus of the implicitly started authorisation').toBeTruthy();
    const response = await api.get(href ?? '');
    expect(response.status, `GET ${href}: ${response.body.slice(0, 200)}`).toBe(200);
    expect(response.json<{ scaStatus?: string }>().scaStatus).toBe('received');
  }),
);

test(
  ...check({
    id: 'CON-053',
    title: "An explicitly started authorisation is listed among the consent's authorisationIds",
    reference: 'BG IG 1.3 §7.1 startConsentAuthorisation; §7.5 getConsentAuthorisation',
    severity: 'normal',
    operations: ['startConsentAuthorisation', 'getConsentAuthorisation'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const path = await api.createdConsentPath();
    const started = await api.startAuthorisation(path);
    expect(started.status, started.body.slice(0, 200)).toBe(201);
    const { authorisationId } = started.json<{ authorisationId?: string }>();
    expect(await api.authorisationIds(path)).toContain(authorisationId);
  }),
);

test(
  ...check({
    id: 'CON-054',
    title: 'An explicitly started authorisation reads scaStatus received',
    reference: 'BG IG 1.3 §7.1 startConsentAuthorisation; §7.6 getConsentScaStatus',
    severity: 'normal',
    operations: ['startConsentAuthorisation', 'getConsentScaStatus'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const path = await api.createdConsentPath();
    const started = await api.startAuthorisation(path);
    expect(started.status, started.body.slice(0, 200)).toBe(201);
    const { authorisationId } = started.json<{ authorisationId?: string }>();
    const response = await api.get(`${path}/authorisations/${encodeURIComponent(authorisationId ?? '')}`);
    expect(response.status, response.body.slice(0, 200)).toBe(200);
    expect(response.json<{ scaStatus?: string }>().scaStatus).toBe('received');
  }),
);

test(
  ...check({
    id: 'CON-055',
    title:
      'Deleting a consent twice is answered 204 or with a client error, and the consent stays terminatedByTpp',
    reference: 'BG IG 1.3 §6.3.5 deleteConsent; RFC 9110 §9.2.2 (DELETE is idempotent), §15.6',
    severity: 'minor',
    operations: ['deleteConsent', 'getConsentStatus'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const path = await api.createdConsentPath();
    expect((await api.send({ method: 'DELETE', url: path })).status, 'the first deletion').toBe(204);
    const again = await api.send({ method: 'DELETE', url: path });
    expect(
      again.status === 204 || (again.status >= 400 && again.status < 500),
      `the second deletion answered ${again.status}: ${again.body.slice(0, 200)}`,
    ).toBe(true);
    const status = await api.get(`${path}/status`);
    expect(status.json<{ consentStatus?: string }>().consentStatus).toBe('terminatedByTpp');
  }),
);

test(
  ...check({
    id: 'CON-056',
    title: 'A consent the PSU has not yet authorised can be deleted: 204, then terminatedByTpp',
    reference:
      'BG IG 1.3 §6.3.5 deleteConsent ("The TPP can delete an account information consent object if needed")',
    severity: 'normal',
    operations: ['deleteConsent', 'getConsentStatus'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const path = await api.createdConsentPath();
    const deleted = await api.send({ method: 'DELETE', url: path });
    expect(deleted.status, deleted.body.slice(0, 200)).toBe(204);
    const status = await api.get(`${path}/status`);
    expect(status.json<{ consentStatus?: string }>().consentStatus).toBe('terminatedByTpp');
  }),
);

test(
  ...check({
    id: 'CON-058',
    title: 'A consent waiting for its SCA reads back the account access it asked for',
    reference:
      'BG IG 1.3 §6.3.4 getConsentInformation; BG OpenAPI 1.3.12 consentInformationResponse-200_json (access required)',
    severity: 'normal',
    operations: ['createConsent', 'getConsentInformation'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const { iban } = await api.firstAccount(consent, { withIban: true });
    const path = await api.createdConsentPath(DETAILED_ON({ iban }));
    const response = await api.get(path);
    expect(response.status).toBe(200);
    const access = response.json<{ access?: { accounts?: { iban?: string }[] } }>().access;
    expect(
      (access?.accounts ?? []).map((r) => r.iban),
      'the accounts the consent reads back',
    ).toEqual([iban]);
  }),
);

test(
  ...check({
    id: 'CON-059',
    title: 'The consent details carry the same consentStatus as the status endpoint',
    reference: 'BG IG 1.3 §6.3.3 getConsentStatus, §6.3.4 getConsentInformation (consentStatus)',
    severity: 'normal',
    operations: ['getConsentInformation', 'getConsentStatus'],
    tags: ['mandatory'],
    needs: ['consent'],
  })(async ({ api, consent }) => {
    const path = `/v1/consents/${encodeURIComponent(consent.consentId)}`;
    const status = (await api.get(`${path}/status`)).json<{ consentStatus?: string }>().consentStatus;
    const details = (await api.get(path)).json<{ consentStatus?: string }>().consentStatus;
    expect(status?.toLowerCase(), "the run's consent, approved by the PSU").toBe('valid');
    expect(details, 'consentStatus in the consent details').toBe(status);
  }),
);

test(
  ...check({
    id: 'CON-060',
    title:
      'A consent asked with TPP-Explicit-Authorisation-Preferred: true leads to its SCA: scaRedirect, or a startAuthorisation that starts one',
    reference:
      'BG IG 1.3 §6.3.1.1 createConsent (TPP-Explicit-Authorisation-Preferred; _links scaRedirect or startAuthorisation); §7.1 startConsentAuthorisation',
    severity: 'normal',
    operations: ['createConsent', 'startConsentAuthorisation'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    const created = await api.createConsent(undefined, {
      headers: { 'tpp-explicit-authorisation-preferred': 'true' },
    });
    expectCreated(created, 'creating the consent');
    const links = created.json<{ _links?: Record<string, { href?: string } | undefined> }>()._links ?? {};
    if (links.scaRedirect?.href || links.scaOAuth?.href) {
      test.info().annotations.push({ type: 'bank-choice', description: 'started the authorisation itself' });
      return;
    }
    const href = links.startAuthorisation?.href;
    expect(href, '_links: scaRedirect, scaOAuth or startAuthorisation').toBeTruthy();
    const started = await api.send({
      method: 'POST',
      url: href ?? '',
      psuInitiated: true,
      headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
    });
    expect(started.status, `POST ${href}: ${started.body.slice(0, 200)}`).toBe(201);
    expect(
      started.json<{ _links?: { scaRedirect?: { href?: string } } }>()._links?.scaRedirect?.href,
      'scaRedirect of the started authorisation',
    ).toBeTruthy();
  }),
);

test(
  ...check({
    id: 'CON-061',
    title: 'A consent request carrying TPP-Nok-Redirect-URI is accepted (the bank may ignore the header)',
    reference: 'BG OpenAPI 1.3.12 createConsent TPP-Nok-Redirect-URI ("This might be ignored by the ASPSP")',
    severity: 'minor',
    operations: ['createConsent'],
    tags: ['mandatory'],
  })(async ({ api }) => {
    // The TPP's own redirect URI: a bank that checks redirect URIs against the TPP finds it registered.
    const nok = api.session.settings.client.redirectUri;
    const created = await api.createConsent(undefined, { headers: { 'tpp-nok-redirect-uri': nok } });
    expect(created.status, created.body.slice(0, 300)).toBe(201);
  }),
);
