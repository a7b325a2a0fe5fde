import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { faultsOfClient, type SandboxContext } from './context.ts';
import { formatMinor, parseAmount, type SeedAccount } from './seed.ts';
import {
  type AuthorizationCode,
  type AuthorizationRequest,
  type Consent,
  type Payment,
  secret,
} from './state.ts';

/**
 * The PSU-facing server: the OAuth2 authorization endpoint as real HTML pages (login, review,
 * account selection, approve or decline), and the TPP's landing page for the redirect.
 * No client certificate here: the PSU's browser has none.
 */
export function buildPsuApp(ctx: SandboxContext, https: { key: Buffer; cert: Buffer }): FastifyInstance {
  const app = Fastify({ https, logger: false, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, new URLSearchParams(String(body))),
  );
  const { state, options } = ctx;

  // The myPOS flavour's scaOAuth link names only the consent or payment: start the authorization for it.
  app.get('/', async (request, reply) => {
    const q = new URLSearchParams(request.url.split('?')[1] ?? '');
    const consentId = q.get('open_bank_consent_id');
    const paymentId = q.get('open_bank_payment_id');
    const subject = consentId
      ? state.consents.get(consentId)
      : paymentId
        ? state.payments.get(paymentId)
        : undefined;
    if (!subject?.redirectUri)
      return page(reply, 404, 'Unknown request', '<p id="error">There is nothing to authorise here.</p>');
    const authorize = new URL('/oauth/authorize', options.psuBaseUrl);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('client_id', subject.clientId);
    authorize.searchParams.set('redirect_uri', subject.redirectUri);
    authorize.searchParams.set(consentId ? 'consent_id' : 'payment_id', subject.id);
    for (const name of ['state', 'code_challenge', 'code_challenge_method']) {
      const value = q.get(name);
      if (value) authorize.searchParams.set(name, value);
    }
    return reply.redirect(authorize.toString(), 302);
  });

  app.get('/oauth/authorize', async (request, reply) => {
    ctx.examiner?.authorization(request);
    const q = new URLSearchParams(request.url.split('?')[1] ?? '');
    const client = state.clients.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? client?.redirectUris[0] ?? '';
    const stateParam = q.get('state') ?? undefined;
    // The faults of the TPP whose consent or payment the request names: a request of no known client has no other.
    const named =
      state.consents.get(q.get('consent_id') ?? '') ?? state.payments.get(q.get('payment_id') ?? '');
    const faults = faultsOfClient(ctx, client?.clientId ?? named?.clientId ?? '');
    if (faults.has('sca-pages-frameable')) frameable.add(reply);
    if (!client) {
      if (named && faults.has('authorize-unknown-client-redirects'))
        return redirect(reply, redirectUri, { error: 'unauthorized_client', state: stateParam });
      return page(reply, 400, 'Unknown application', '<p id="error">The client_id is not registered.</p>');
    }
    if (!client.redirectUris.includes(redirectUri)) {
      if (faults.has('authorize-open-redirect'))
        return redirect(reply, redirectUri, { error: 'invalid_request', state: stateParam });
      return page(
        reply,
        400,
        'Unknown redirect',
        '<p id="error">The redirect_uri is not registered for this application.</p>',
      );
    }
    if (q.get('response_type') === 'token' && faults.has('authorize-implicit-grant')) {
      const token = state.issueAccessToken(client.clientId, undefined, options.tokenLifetimeMs).token;
      const url = new URL(redirectUri);
      url.hash = new URLSearchParams({
        access_token: token,
        token_type: 'Bearer',
        state: stateParam ?? '',
      }).toString();
      return reply.code(302).header('location', url.toString()).header('cache-control', 'no-store').send();
    }
    if (q.get('response_type') !== 'code') {
      return redirect(reply, redirectUri, { error: 'unsupported_response_type', state: stateParam });
    }
    // RFC 7636 §4.3: a challenge without a method is plain; only S256 keeps the verifier out of the front channel.
    const method = q.get('code_challenge_method') ?? 'plain';
    if (q.has('code_challenge') && method !== 'S256' && !faults.has('pkce-plain-accepted')) {
      return redirect(reply, redirectUri, { error: 'invalid_request', state: stateParam });
    }
    const consentId = q.get('consent_id');
    const paymentId = q.get('payment_id');
    const consent = consentId ? state.consents.get(consentId) : undefined;
    const payment = paymentId ? state.payments.get(paymentId) : undefined;
    const owner = (consent ?? payment)?.clientId;
    const ownerFaults = faultsOfClient(ctx, owner ?? '');
    const reopened =
      (payment?.status === 'CANC' && ownerFaults.has('cancelled-payment-approvable')) ||
      (payment?.status === 'RJCT' && ownerFaults.has('rejected-payment-approvable'));
    const pending =
      (consent && consent.status === 'received') || (payment && payment.status === 'RCVD') || reopened;
    // The faults are those of the TPP whose consent or payment another client asks for.
    const anyClient = owner !== undefined && faultsOfClient(ctx, owner).has('authorize-any-client');
    if ((!consent && !payment) || (owner !== client.clientId && !anyClient) || !pending) {
      return redirect(reply, redirectUri, { error: 'invalid_request', state: stateParam });
    }
    const authRequest: AuthorizationRequest = {
      id: secret(),
      clientId: client.clientId,
      redirectUri,
      state: stateParam,
      codeChallenge: q.get('code_challenge') ?? undefined,
      subject: consent ? { consentId: consent.id } : { paymentId: payment?.id ?? '' },
      expiresAt: Date.now() + 10 * 60_000,
    };
    state.authorizationRequests.set(authRequest.id, authRequest);
    state.authorizationsStarted += 1;
    if (faults.has('sca-cookie-insecure'))
      reply.header('set-cookie', `psu_session=${authRequest.id}; Path=/`);
    return loginPage(reply, authRequest.id, undefined);
  });

  app.post('/oauth/login', async (request, reply) => {
    const form = request.body as URLSearchParams;
    const authRequest = state.authorizationRequests.get(form.get('request') ?? '');
    if (!authRequest || authRequest.expiresAt < Date.now()) {
      return page(reply, 400, 'Session expired', '<p id="error">This authorisation request has expired.</p>');
    }
    const psu = state.seed.psus.find(
      (p) => p.id === form.get('psuId') && p.password === form.get('password'),
    );
    if (!psu) return loginPage(reply, authRequest.id, 'Wrong PSU ID or password.');
    authRequest.psuId = psu.id;
    if (namesAccountsOfOthers(authRequest, psu.id)) {
      // Another PSU's account cannot be granted or paid from: the authorisation fails, as a decline does.
      state.authorizationRequests.delete(authRequest.id);
      reject(authRequest);
      return redirect(reply, authRequest.redirectUri, { error: 'access_denied', state: authRequest.state });
    }
    return reviewPage(reply, authRequest, undefined);
  });

  app.post('/oauth/decision', async (request, reply) => {
    const form = request.body as URLSearchParams;
    const authRequest = state.authorizationRequests.get(form.get('request') ?? '');
    if (!authRequest?.psuId || authRequest.expiresAt < Date.now()) {
      return page(reply, 400, 'Session expired', '<p id="error">Log in again to decide.</p>');
    }
    // The PSU's browser carries no client certificate: the faults are those of the TPP that asked.
    const faults = faultsOf(authRequest);
    const selected = form.getAll('account');
    state.accountsTicked += selected.length;
    const approve = form.get('decision') === 'approve' || faults.has('sca-decline-approves');
    const keepState = faults.has('sca-state-dropped') ? undefined : authRequest.state;
    const subject = authRequest.subject;
    if (!approve) {
      state.authorizationRequests.delete(authRequest.id);
      reject(authRequest);
      return redirect(reply, authRequest.redirectUri, { error: 'access_denied', state: keepState });
    }
    if ('consentId' in subject) {
      const consent = state.consents.get(subject.consentId);
      if (!consent)
        return page(reply, 400, 'Consent gone', '<p id="error">The consent no longer exists.</p>');
      const granted = grantConsent(
        consent,
        offeredAccounts(authRequest, consent, authRequest.psuId),
        selected,
        authRequest.psuId,
        faults.has('detailed-consent-grants-all') && namedReferences(consent).length > 0,
      );
      if (!granted) return reviewPage(reply, authRequest, 'Select at least one account to share.');
      consent.psuId = authRequest.psuId;
      consent.granted = granted;
      if (!faults.has('consent-not-valid-after-sca')) consent.status = 'valid';
    } else {
      const payment = state.payments.get(subject.paymentId);
      if (!payment)
        return page(reply, 400, 'Payment gone', '<p id="error">The payment no longer exists.</p>');
      const debtor = debtorFor(authRequest, payment, authRequest.psuId, selected[0]);
      if (!debtor) return reviewPage(reply, authRequest, 'Select the account to pay from.');
      payment.psuId = authRequest.psuId;
      if (!faults.has('debtor-account-not-recorded'))
        payment.body = { ...payment.body, debtorAccount: { iban: debtor.iban } };
      if (!faults.has('payment-stays-rcvd-after-sca')) {
        payment.status = payment.product === 'sepa-credit-transfers' ? 'ACSC' : 'ACTC';
      }
    }
    state.authorizationRequests.delete(authRequest.id);
    const code = secret();
    state.codes.set(code, {
      code,
      clientId: authRequest.clientId,
      redirectUri: authRequest.redirectUri,
      codeChallenge: authRequest.codeChallenge,
      subject,
      expiresAt: Date.now() + options.codeLifetimeMs,
      used: false,
    });
    const returned = ctx.examiner
      ? ctx.examiner.stateOnReturn(state.codes.get(code) as AuthorizationCode, keepState)
      : keepState;
    return redirect(reply, authRequest.redirectUri, { code, state: returned });
  });

  app.get('/tpp/callback', async (_request, reply) =>
    page(
      reply,
      200,
      'Back at the TPP',
      '<p id="done">The authorisation is finished; you can close this window.</p>',
    ),
  );

  /** The faults of the TPP that asked for this authorisation (the PSU's browser carries no certificate). */
  function faultsOf(authRequest: AuthorizationRequest) {
    return faultsOfClient(ctx, authRequest.clientId);
  }

  /** A failed authorisation: the consent rejected, the payment RJCT. */
  function reject(authRequest: AuthorizationRequest): void {
    const subject = authRequest.subject;
    if ('consentId' in subject) {
      const consent = state.consents.get(subject.consentId);
      if (consent) consent.status = 'rejected';
    } else {
      const payment = state.payments.get(subject.paymentId);
      if (payment && !faultsOf(authRequest).has('payment-decline-not-rejected')) payment.status = 'RJCT';
    }
  }

  /** The account a reference names, if the PSU holds it (under the fault, whoever holds it). */
  function accountOf(authRequest: AuthorizationRequest, psuId: string, reference: Record<string, unknown>) {
    const anyHolder = faultsOf(authRequest).has('named-accounts-not-owned');
    return state.findByReference(anyHolder ? undefined : psuId, reference);
  }

  /** Whether the consent or payment names an account (by IBAN or PAN) that this PSU does not hold. */
  function namesAccountsOfOthers(authRequest: AuthorizationRequest, psuId: string): boolean {
    const subject = authRequest.subject;
    const refs =
      'consentId' in subject
        ? namedReferences(state.consents.get(subject.consentId))
        : [state.payments.get(subject.paymentId)?.body.debtorAccount as Record<string, unknown> | undefined];
    return refs.some(
      (ref) =>
        ref !== undefined && state.findByReference(undefined, ref) && !accountOf(authRequest, psuId, ref),
    );
  }

  function namedReferences(consent: Consent | undefined): Record<string, unknown>[] {
    const access = (consent?.request.access ?? {}) as Record<string, unknown>;
    return ['accounts', 'balances', 'transactions'].flatMap((k) =>
      Array.isArray(access[k]) ? (access[k] as Record<string, unknown>[]) : [],
    );
  }

  function offeredAccounts(
    authRequest: AuthorizationRequest,
    consent: Consent,
    psuId: string,
  ): { account: SeedAccount; fixed: boolean }[] {
    const refs = namedReferences(consent);
    if (refs.length > 0) {
      const named = refs
        .map((ref) => accountOf(authRequest, psuId, ref))
        .filter((a): a is SeedAccount => a !== undefined);
      return [...new Set(named)].map((account) => ({ account, fixed: true }));
    }
    return state.accountsOf(psuId).map((account) => ({ account, fixed: false }));
  }

  function grantConsent(
    consent: Consent,
    offered: { account: SeedAccount; fixed: boolean }[],
    selected: string[],
    psuId: string,
    /** A bank that grants every account of the PSU, whatever the consent names. */
    grantsAll: boolean,
  ) {
    if (grantsAll) {
      const all = new Set(state.accountsOf(psuId).map((a) => a.resourceId));
      return { accounts: all, balances: new Set(all), transactions: new Set(all) };
    }
    const access = consent.request.access as Record<string, unknown>;
    const explicit = ['accounts', 'balances', 'transactions'].some(
      (k) => Array.isArray(access[k]) && (access[k] as unknown[]).length,
    );
    if (explicit) {
      const ids = (kind: string) =>
        new Set(
          (Array.isArray(access[kind]) ? (access[kind] as Record<string, unknown>[]) : [])
            .map((ref) =>
              offered.find(
                (o) =>
                  (ref.iban !== undefined && o.account.iban === ref.iban) ||
                  (ref.maskedPan !== undefined && o.account.maskedPan === ref.maskedPan),
              ),
            )
            .filter((o) => o !== undefined)
            .map((o) => o.account.resourceId),
        );
      const balances = ids('balances');
      const transactions = ids('transactions');
      return {
        accounts: new Set([...ids('accounts'), ...balances, ...transactions]),
        balances,
        transactions,
      };
    }
    const chosen = new Set(
      offered.filter((o) => selected.includes(o.account.resourceId)).map((o) => o.account.resourceId),
    );
    if (chosen.size === 0) return undefined;
    const listOnly = typeof access.availableAccounts === 'string';
    return {
      accounts: chosen,
      balances: listOnly ? new Set<string>() : new Set(chosen),
      transactions: listOnly ? new Set<string>() : new Set(chosen),
    };
  }

  function debtorFor(
    authRequest: AuthorizationRequest,
    payment: Payment,
    psuId: string,
    selected: string | undefined,
  ): SeedAccount | undefined {
    const given = payment.body.debtorAccount as Record<string, unknown> | undefined;
    if (given) return accountOf(authRequest, psuId, given);
    return state.accountsOf(psuId).find((a) => a.resourceId === selected && a.kind === 'account');
  }

  function reviewPage(reply: FastifyReply, authRequest: AuthorizationRequest, error: string | undefined) {
    const psuId = authRequest.psuId ?? '';
    const subject = authRequest.subject;
    let what: string;
    let choices = '';
    if ('consentId' in subject) {
      const consent = state.consents.get(subject.consentId) as Consent;
      const offered = offeredAccounts(authRequest, consent, psuId);
      what = `<h2>Access to your accounts</h2><p id="access">The application asks to read: ${escapeHtml(describeAccess(consent))}, until ${escapeHtml(consent.request.validUntil)}, at most ${consent.request.frequencyPerDay} times a day.</p>`;
      choices = offered
        .map(
          (o, i) =>
            `<li><label><input type="checkbox" name="account" id="account-${i}" value="${escapeHtml(o.account.resourceId)}"${o.fixed ? ' checked disabled' : ''}> ${escapeHtml(o.account.name)} ${escapeHtml(o.account.iban ?? o.account.maskedPan ?? '')} (${escapeHtml(o.account.currency)})</label></li>`,
        )
        .join('');
      choices = `<fieldset><legend>Accounts to share</legend><ul>${choices}</ul></fieldset>`;
    } else {
      const payment = state.payments.get(subject.paymentId) as Payment;
      const amount = payment.body.instructedAmount as { amount: string; currency: string };
      const creditor = payment.body.creditorAccount as { iban?: string };
      what = `<h2>Payment</h2><dl id="payment"><dt>To</dt><dd id="creditor-name">${escapeHtml(String(payment.body.creditorName))}</dd><dt>IBAN</dt><dd id="creditor-iban">${escapeHtml(creditor.iban ?? '')}</dd><dt>Amount</dt><dd id="amount">${escapeHtml(formatMinor(parseAmount(amount.amount) ?? 0))} ${escapeHtml(amount.currency)}</dd></dl>`;
      if (!payment.body.debtorAccount) {
        choices = `<fieldset><legend>Pay from</legend><ul>${state
          .accountsOf(psuId)
          .filter((a) => a.kind === 'account')
          .map(
            (a, i) =>
              `<li><label><input type="radio" name="account" id="account-${i}" value="${escapeHtml(a.resourceId)}"> ${escapeHtml(a.name)} ${escapeHtml(a.iban ?? '')}</label></li>`,
          )
          .join('')}</ul></fieldset>`;
      }
    }
    return page(
      reply,
      200,
      'Review and authorise',
      `${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>` : ''}${what}
<form method="post" action="/oauth/decision">
<input type="hidden" name="request" value="${escapeHtml(authRequest.id)}">
${choices}
<button type="submit" name="decision" value="approve" id="approve">Approve</button>
<button type="submit" name="decision" value="decline" id="decline">Decline</button>
</form>`,
    );
  }

  return app;
}

function describeAccess(consent: Consent): string {
  const access = consent.request.access as Record<string, unknown>;
  const parts = Object.entries(access).map(([key, value]) =>
    Array.isArray(value)
      ? `${key} (${value.length ? `${value.length} named` : 'accounts you choose'})`
      : `${key}: ${String(value)}`,
  );
  return parts.join(', ') || 'nothing';
}

function loginPage(reply: FastifyReply, requestId: string, error: string | undefined) {
  return page(
    reply,
    200,
    'Log in to Sandbox Bank',
    `${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/oauth/login">
<input type="hidden" name="request" value="${escapeHtml(requestId)}">
<label for="psu-id">PSU ID</label> <input id="psu-id" name="psuId" autocomplete="username" required>
<label for="psu-password">Password</label> <input id="psu-password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="login">Log in</button>
</form>`,
  );
}

function redirect(reply: FastifyReply, redirectUri: string, params: Record<string, string | undefined>) {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return reply.code(302).header('location', url.toString()).header('cache-control', 'no-store').send();
}

/** The replies of a TPP under the sca-pages-frameable fault: served without the framing headers. */
const frameable = new WeakSet<FastifyReply>();

function page(reply: FastifyReply, status: number, title: string, body: string) {
  // RFC 9700 §4.16: the pages a PSU authorises on refuse to be framed (clickjacking).
  if (!frameable.has(reply)) {
    reply.header('x-frame-options', 'DENY');
    reply.header('content-security-policy', "default-src 'self'; frame-ancestors 'none'");
  } else {
    reply.header('content-security-policy', "default-src 'self'");
  }
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
