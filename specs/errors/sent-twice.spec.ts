import { randomUUID } from 'node:crypto';
import { expect } from '@playwright/test';
import { type CheckBody, checksOf, test } from '../../src/checks/check.ts';
import { expectCreated } from '../../src/harness/expect-created.ts';
import { errorCodes } from '../../src/harness/expect-error.ts';
import { consentBody } from '../../src/harness/test-data.ts';
import type { Xs2aCall, Xs2aResponse } from '../../src/xs2a/api.ts';

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

/** Sends a consent request twice with one X-Request-ID, the second time with `changed` over its body. */
function consentSentTwice(changed: Record<string, unknown> = {}): CheckBody {
  return async ({ api }) => {
    // Both bodies are made when the check runs: one made when the spec loads may name another day.
    const body = consentBody();
    const second = { ...body, ...changed };
    const requestId = randomUUID();
    const first = await api.createConsent(body, { requestId });
    expectCreated(first, 'the first request');
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
    const first = await api.initiatePayment(SCT, await api.flavourPaymentBody('12.34'), { requestId });
    expectCreated(first, 'the first request');
    const again = await api.initiatePayment(SCT, await api.flavourPaymentBody(amount), { requestId });
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

/**
 * Starts an authorisation of a fresh consent or payment (`resource` creates it and answers its path) twice
 * with one X-Request-ID: the resource has one authorisation more, not two.
 */
function authorisationStartedTwice(
  resource: (api: Parameters<CheckBody>[0]['api']) => Promise<string>,
): CheckBody {
  return async ({ api }) => {
    const path = await resource(api);
    const requestId = randomUUID();
    // Creating the resource may have started one implicitly.
    const before = (await api.authorisationIds(path)).length;
    const first = await api.startAuthorisation(path, { requestId });
    expect(first.status, `the first start: ${first.body.slice(0, 200)}`).toBe(201);
    const again = await api.startAuthorisation(path, { requestId });
    expect(again.status, `the repeated start: ${again.body.slice(0, 200)}`).toBeLessThan(500);
    expect(await api.authorisationIds(path), 'the authorisations after one start sent twice').toHaveLength(
      before + 1,
    );
  };
}

/**
 * The TPP sends the request another TPP sent, with that TPP's X-Request-ID: it gets a resource of its own
 * (or an error), never the other TPP's.
 */
function sentAfterAnotherTpp(
  create: (
    api: Parameters<CheckBody>[0]['api'],
    options: { requestId: string } & Pick<Xs2aCall, 'token' | 'via'>,
  ) => Promise<Xs2aResponse>,
  idOf: (response: Xs2aResponse) => string | undefined,
  what: string,
): CheckBody {
  return async ({ api }) => {
    const requestId = randomUUID();
    const theirs = await create(api, { requestId, ...(await api.asOtherTpp()) });
    expectCreated(theirs, "the other TPP's request");
    const mine = await create(api, { requestId });
    if (mine.status >= 400 && mine.status < 500) {
      test.info().annotations.push({
        type: 'bank-choice',
        description: `refused the X-Request-ID another TPP used with HTTP ${mine.status} ${errorCodes(mine).join(', ')}`,
      });
      return;
    }
    expectCreated(mine, "the TPP's own request");
    expect(idOf(mine), `the ${what} answered to this TPP is the other TPP's`).not.toBe(idOf(theirs));
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
  })(consentSentTwice()),
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
  })(consentSentTwice({ frequencyPerDay: 4 })),
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
  })(authorisationStartedTwice((api) => api.createdConsentPath())),
);

test(
  ...check({
    id: 'ERR-020',
    title: 'A payment authorisation started twice with one X-Request-ID is one authorisation',
    reference: `${UNIQUE_TO_THE_CALL}; BG IG 1.3 §7.1 startPaymentAuthorisation`,
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['startPaymentAuthorisation', 'getPaymentInitiationAuthorisation'],
    tags: ['negative'],
    requires: ['sepa-credit-transfers'],
  })(
    authorisationStartedTwice(async (api) => {
      const created = await api.initiatePayment(SCT);
      expectCreated(created, 'initiating the payment');
      return `/v1/payments/${SCT}/${encodeURIComponent(created.json<{ paymentId: string }>().paymentId)}`;
    }),
  ),
);

test(
  ...check({
    id: 'ERR-021',
    title:
      "A consent request carrying another TPP's X-Request-ID gets a consent of its own, never that TPP's",
    reference: `${UNIQUE_TO_THE_CALL}, as determined by the initiating party: a repeat is one TPP's repeat`,
    severity: 'blocker',
    operations: ['createConsent'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['otherTpp'],
  })(
    sentAfterAnotherTpp(
      (api, options) => api.createConsent(consentBody(), options),
      (response) => response.json<{ consentId?: string }>().consentId,
      'consent',
    ),
  ),
);

test(
  ...check({
    id: 'ERR-022',
    title:
      "A payment initiation carrying another TPP's X-Request-ID initiates a payment of its own, never that TPP's",
    reference: `${UNIQUE_TO_THE_CALL}, as determined by the initiating party: a repeat is one TPP's repeat`,
    severity: 'blocker',
    operations: ['initiatePayment'],
    tags: ['mandatory', 'negative', 'security'],
    requires: ['sepa-credit-transfers', 'otherTpp'],
  })(
    sentAfterAnotherTpp(
      async (api, options) => api.initiatePayment(SCT, await api.flavourPaymentBody('12.34'), options),
      (response) => response.json<{ paymentId?: string }>().paymentId,
      'payment',
    ),
  ),
);

/**
 * Sends a request about one new consent or payment (`resource` creates one and answers its path), then the same
 * request about another with the first one's X-Request-ID: the second must not be changed (`changed` tells,
 * reading it back).
 */
function reusedForAnother(
  what: string,
  resource: (api: Parameters<CheckBody>[0]['api']) => Promise<string>,
  send: (api: Parameters<CheckBody>[0]['api'], path: string, requestId: string) => Promise<Xs2aResponse>,
  changed: (api: Parameters<CheckBody>[0]['api'], path: string, before: unknown) => Promise<boolean>,
  observe: (api: Parameters<CheckBody>[0]['api'], path: string) => Promise<unknown>,
): CheckBody {
  return async ({ api }) => {
    const [first, second] = await Promise.all([resource(api), resource(api)]);
    const requestId = randomUUID();
    const done = await send(api, first, requestId);
    expect(done.status, `the request about the first ${what}: ${done.body.slice(0, 200)}`).toBeLessThan(300);
    const before = await observe(api, second);
    const again = await send(api, second, requestId);
    expect(
      await changed(api, second, before),
      `the X-Request-ID of a request about one ${what}, reused about another, changed that ${what} (HTTP ${again.status})`,
    ).toBe(false);
    test.info().annotations.push({
      type: 'bank-choice',
      description:
        again.status < 300
          ? `answered HTTP ${again.status} without changing the other ${what}`
          : `refused the reuse with HTTP ${again.status} ${errorCodes(again).join(', ')}`,
    });
  };
}

const newConsent = (api: Parameters<CheckBody>[0]['api']) => api.createdConsentPath();
const newPayment = async (api: Parameters<CheckBody>[0]['api']) => (await api.createdPayment(SCT)).path;

const authorisationCount = async (api: Parameters<CheckBody>[0]['api'], path: string) =>
  (await api.authorisationIds(path)).length;

test(
  ...check({
    id: 'ERR-033',
    title: "An X-Request-ID reused to start another consent's authorisation starts none",
    reference: `${UNIQUE_TO_THE_CALL}; BG IG 1.3 §7.1 startConsentAuthorisation; the reuse is refused (or answers the first)`,
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['startConsentAuthorisation', 'getConsentAuthorisation'],
    tags: ['negative'],
  })(
    reusedForAnother(
      'consent',
      newConsent,
      (api, url, requestId) => api.startAuthorisation(url, { requestId }),
      async (api, url, before) => (await authorisationCount(api, url)) !== before,
      authorisationCount,
    ),
  ),
);

test(
  ...check({
    id: 'ERR-034',
    title: 'An X-Request-ID reused to delete another consent leaves that consent alive',
    reference: `${UNIQUE_TO_THE_CALL}; BG IG 1.3 §6.3.5 deleteConsent; the reuse is refused (or answers the first)`,
    severity: 'critical',
    obligation: 'SHOULD',
    operations: ['deleteConsent', 'getConsentStatus'],
    tags: ['negative'],
  })(
    reusedForAnother(
      'consent',
      newConsent,
      (api, url, requestId) => api.send({ method: 'DELETE', url, requestId }),
      async (api, url) =>
        (await api.get(`${url}/status`)).json<{ consentStatus?: string }>().consentStatus ===
        'terminatedByTpp',
      async () => undefined,
    ),
  ),
);

test(
  ...check({
    id: 'ERR-047',
    title: "An X-Request-ID reused to start another payment's authorisation starts none",
    reference: `${UNIQUE_TO_THE_CALL}; BG IG 1.3 §7.1 startPaymentAuthorisation; the reuse is refused (or answers the first)`,
    severity: 'normal',
    obligation: 'SHOULD',
    operations: ['startPaymentAuthorisation', 'getPaymentInitiationAuthorisation'],
    tags: ['negative'],
    requires: ['sepa-credit-transfers'],
  })(
    reusedForAnother(
      'payment',
      newPayment,
      (api, url, requestId) => api.startAuthorisation(url, { requestId }),
      async (api, url, before) => (await authorisationCount(api, url)) !== before,
      authorisationCount,
    ),
  ),
);

test(
  ...check({
    id: 'ERR-048',
    title: 'An X-Request-ID reused to cancel another payment leaves that payment standing',
    reference: `${UNIQUE_TO_THE_CALL}; BG IG 1.3 §5.4 cancelPayment; the reuse is refused (or answers the first)`,
    severity: 'critical',
    obligation: 'SHOULD',
    operations: ['cancelPayment', 'getPaymentInitiationStatus'],
    tags: ['negative'],
    requires: ['sepa-credit-transfers', 'paymentCancellation'],
  })(
    reusedForAnother(
      'payment',
      newPayment,
      (api, url, requestId) => api.send({ method: 'DELETE', url, requestId }),
      async (api, url) => api.flavour.paymentStatus((await api.get(`${url}/status`)).json()) === 'CANC',
      async () => undefined,
    ),
  ),
);
