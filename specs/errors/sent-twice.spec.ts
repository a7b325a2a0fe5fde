import { randomUUID } from 'node:crypto';
import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import { consentBody } from '../../src/suite/api.ts';
import { errorCodes, expectError } from '../../src/suite/expect-error.ts';

const check = checksOf('Errors');

const SCT = 'sepa-credit-transfers';
/** X-Request-ID in Berlin Group's words: what a repeat with the same ID is, the same call. */
const UNIQUE_TO_THE_CALL = 'BG OpenAPI 1.3.12 X-Request-ID ("ID of the request, unique to the call")';

/**
 * The second answer to a request sent again with the first one's X-Request-ID: the first resource again
 * (the bank took it for the same call) or an error, never a second resource. Records which the bank chose.
 */
function expectNoSecondResource(
  first: { status: number; id: string | undefined },
  second: { status: number; body: string; id: string | undefined; codes: string[] },
  what: string,
): void {
  if (second.status >= 200 && second.status < 300) {
    expect(
      second.id,
      `the repeated request answered HTTP ${second.status} with another ${what} (${second.id}) than the first (${first.id}): a second ${what} for one call`,
    ).toBe(first.id);
    test.info().annotations.push({ type: 'bank-choice', description: `answered the first ${what} again` });
    return;
  }
  expect(
    second.status >= 400 && second.status < 500 && second.codes.length > 0,
    `expected the first ${what} again or a 4xx error with a message code, got HTTP ${second.status}: ${second.body.slice(0, 200)}`,
  ).toBe(true);
  test.info().annotations.push({
    type: 'bank-choice',
    description: `refused the repeat with HTTP ${second.status} ${second.codes.join(', ')}`,
  });
}

/** Sends a consent request twice with one X-Request-ID, the second time with `second` as its body. */
function consentSentTwice(second: Record<string, unknown>): CheckBody {
  return async ({ api }) => {
    const requestId = randomUUID();
    const first = await api.createConsent(consentBody(), { requestId });
    expect(first.status, `the first request: ${first.body.slice(0, 200)}`).toBe(201);
    const again = await api.createConsent(second, { requestId });
    expectNoSecondResource(
      { status: first.status, id: first.json<{ consentId?: string }>().consentId },
      {
        status: again.status,
        body: again.body,
        id: again.status < 300 ? again.json<{ consentId?: string }>().consentId : undefined,
        codes: errorCodes(again),
      },
      'consent',
    );
  };
}

/** Initiates a SEPA payment twice with one X-Request-ID, the second time with `amount`. */
function paymentSentTwice(amount: string): CheckBody {
  return async ({ api }) => {
    const requestId = randomUUID();
    const first = await api.initiatePayment(SCT, await api.dialectPaymentBody('12.34'), { requestId });
    expect(first.status, `the first request: ${first.body.slice(0, 200)}`).toBe(201);
    const again = await api.initiatePayment(SCT, await api.dialectPaymentBody(amount), { requestId });
    expectNoSecondResource(
      { status: first.status, id: first.json<{ paymentId?: string }>().paymentId },
      {
        status: again.status,
        body: again.body,
        id: again.status < 300 ? again.json<{ paymentId?: string }>().paymentId : undefined,
        codes: errorCodes(again),
      },
      'payment',
    );
  };
}

test(
  ...check({
    id: 'ERR-013',
    title: 'A consent request sent twice with one X-Request-ID creates one consent',
    reference: `${UNIQUE_TO_THE_CALL}; the repeat answers the first consent or an error`,
    severity: 'critical',
    obligation: 'SHOULD',
    operations: ['createConsent'],
    tags: ['negative'],
  })(consentSentTwice(consentBody())),
);

test(
  ...check({
    id: 'ERR-014',
    title: 'A consent request reusing an X-Request-ID for another body creates no second consent',
    reference: `${UNIQUE_TO_THE_CALL}; the reuse is refused (or answers the first consent)`,
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['createConsent'],
    tags: ['negative'],
  })(consentSentTwice(consentBody({ frequencyPerDay: 4 }))),
);

test(
  ...check({
    id: 'ERR-015',
    title: 'A payment initiation sent twice with one X-Request-ID initiates one payment',
    reference: `${UNIQUE_TO_THE_CALL}; the repeat answers the first payment or an error`,
    severity: 'blocker',
    obligation: 'SHOULD',
    operations: ['initiatePayment'],
    tags: ['negative'],
    requires: ['sepa-credit-transfers'],
  })(paymentSentTwice('12.34')),
);

test(
  ...check({
    id: 'ERR-016',
    title: 'A payment initiation reusing an X-Request-ID for another amount initiates no second payment',
    reference: `${UNIQUE_TO_THE_CALL}; the reuse is refused (or answers the first payment)`,
    severity: 'critical',
    obligation: 'SHOULD',
    operations: ['initiatePayment'],
    tags: ['negative'],
    requires: ['sepa-credit-transfers'],
  })(paymentSentTwice('43.21')),
);

test(
  ...check({
    id: 'ERR-017',
    title: 'A consent authorisation started twice with one X-Request-ID is one authorisation',
    reference: `${UNIQUE_TO_THE_CALL}; BG IG 1.3 §7.1 startConsentAuthorisation`,
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['startConsentAuthorisation', 'getConsentAuthorisation'],
    tags: ['negative'],
  })(async ({ api }) => {
    const { consentId } = (await api.createConsent()).json<{ consentId: string }>();
    const url = `/v1/consents/${encodeURIComponent(consentId)}/authorisations`;
    const start = {
      method: 'POST' as const,
      url,
      headers: { 'tpp-redirect-uri': api.session.settings.client.redirectUri },
      psuInitiated: true,
      requestId: randomUUID(),
    };
    const authorisations = async () => {
      const listed = await api.get(url);
      expect(listed.status, `listing the authorisations: ${listed.body.slice(0, 200)}`).toBe(200);
      return listed.json<{ authorisationIds?: string[] }>().authorisationIds ?? [];
    };
    // Creating the consent may have started one implicitly.
    const before = (await authorisations()).length;
    const first = await api.send(start);
    expect(first.status, `the first start: ${first.body.slice(0, 200)}`).toBe(201);
    const again = await api.send(start);
    expect(again.status, `the repeated start: ${again.body.slice(0, 200)}`).toBeLessThan(500);
    expect(
      await authorisations(),
      'the authorisations of the consent after one start sent twice',
    ).toHaveLength(before + 1);
  }),
);

test(
  ...check({
    id: 'ERR-018',
    title: 'An X-Request-ID that is not a UUID is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 X-Request-ID (format uuid); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const response = await api.createConsent(consentBody(), { requestId: 'psd2-conformance-not-a-uuid' });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);

test(
  ...check({
    id: 'ERR-019',
    title: 'A PSU-IP-Address that is not an IPv4 address is refused with 400 FORMAT_ERROR',
    reference: 'BG OpenAPI 1.3.12 createConsent PSU-IP-Address (format ipv4); BG IG 1.3 §14.11 FORMAT_ERROR',
    severity: 'normal',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative'],
  })(async ({ api }) => {
    const response = await api.createConsent(consentBody(), {
      headers: { 'psu-ip-address': '999.1.2.3' },
    });
    expectError(response, 400, ['FORMAT_ERROR']);
  }),
);
