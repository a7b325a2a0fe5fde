import { createHash } from 'node:crypto';
import { type ApiCall, apiCalls, type TppObservations, tokenCalls } from './observations.ts';
import { TPP_RULES, type TppVerdict } from './tpp-rules.ts';

export type CertificationLevel = 'ais' | 'pis' | 'full';
export const CERTIFICATION_LEVELS: readonly CertificationLevel[] = ['ais', 'pis', 'full'];

/** A flow a TPP can be asked to have gone through, and how the observations show it did. */
interface Scenario {
  id: string;
  title: string;
  /** The operation whose absence from the flavour's API makes the scenario not apply. */
  needs?: string;
  done(o: TppObservations): boolean;
}

const FINAL_PAYMENT_STATUSES = new Set(['ACCC', 'ACSC', 'RJCT', 'CANC']);

const ok = (o: TppObservations, ids: string[], statuses = [200, 201]) =>
  apiCalls(o).some((c) => ids.includes(c.operationId ?? '') && statuses.includes(c.status));
const codeExchangedFor = (o: TppObservations, subject: (c: ApiCall) => boolean) => {
  const authorised = tokenCalls(o).some((t) => t.grant === 'authorization_code' && t.status === 200);
  return authorised && apiCalls(o).some((c) => c.status === 200 && c.tokenKey !== undefined && subject(c));
};

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'ais-consent',
    title: 'AIS: a consent created and authorised by the PSU (SCA), its access token used',
    done: (o) => ok(o, ['createConsent'], [201]) && codeExchangedFor(o, (c) => c.consentId !== undefined),
  },
  {
    id: 'ais-reads',
    title: "AIS: the consent's account list, and an account's balances or transactions, read",
    done: (o) =>
      ok(o, ['getAccountList', 'getCardAccountList']) &&
      ok(o, ['getBalances', 'getTransactionList', 'getCardAccountBalances', 'getCardAccountTransactionList']),
  },
  {
    id: 'pis-payment',
    title: 'PIS: a payment initiated, authorised by the PSU (SCA), and read to a final status',
    done: (o) =>
      ok(o, ['initiatePayment'], [201]) &&
      apiCalls(o).some(
        (c) =>
          ['getPaymentInitiationStatus', 'getPaymentInformation'].includes(c.operationId ?? '') &&
          c.status === 200 &&
          FINAL_PAYMENT_STATUSES.has(c.answeredStatus ?? ''),
      ),
  },
  {
    id: 'piis-funds',
    title: 'PIIS: the availability of funds confirmed',
    needs: 'checkAvailabilityOfFunds',
    done: (o) => ok(o, ['checkAvailabilityOfFunds']),
  },
];

const LEVEL_SCENARIOS: Record<CertificationLevel, string[]> = {
  ais: ['ais-consent', 'ais-reads'],
  pis: ['pis-payment'],
  full: ['ais-consent', 'ais-reads', 'pis-payment', 'piis-funds'],
};

export interface RuleResult {
  id: string;
  title: string;
  reference: string;
  severity: 'critical' | 'major' | 'warning';
  area: string;
  /** warning: a recommendation not followed (a failed rule of severity warning); never fails the certification. */
  verdict: TppVerdict | 'warning';
  evidence: string[];
}

export interface ScenarioResult {
  id: string;
  title: string;
  required: boolean;
  result: 'exercised' | 'not-exercised' | 'not-offered';
}

export interface Certification {
  clientId: string;
  level: CertificationLevel;
  /** certified: no rule failed and every scenario of the level was exercised. */
  status: 'certified' | 'not-certified';
  headline: string;
  rules: RuleResult[];
  scenarios: ScenarioResult[];
  totals: Record<RuleResult['verdict'], number> & { total: number };
  requests: number;
  /** A hash of the verdicts: two sessions that judged alike have the same. */
  resultsHash: string;
}

/** Judges what one TPP did against every TPP rule and the scenarios of the level. */
export function certify(o: TppObservations, level: CertificationLevel): Certification {
  const rules: RuleResult[] = TPP_RULES.map((rule) => {
    const judgement = rule.judge(o);
    const severity = rule.severityOn?.(o) ?? rule.severity;
    const verdict = judgement.verdict === 'failed' && severity === 'warning' ? 'warning' : judgement.verdict;
    return {
      id: rule.id,
      title: rule.title,
      reference: rule.reference,
      severity,
      area: rule.area,
      verdict,
      evidence: judgement.evidence,
    };
  });
  const required = new Set(LEVEL_SCENARIOS[level]);
  const scenarios: ScenarioResult[] = SCENARIOS.map((s) => ({
    id: s.id,
    title: s.title,
    required: required.has(s.id),
    result: s.needs && !o.offers(s.needs) ? 'not-offered' : s.done(o) ? 'exercised' : 'not-exercised',
  }));
  const totals = { passed: 0, failed: 0, 'not-exercised': 0, warning: 0, total: rules.length };
  for (const r of rules) totals[r.verdict]++;
  const missing = scenarios.filter((s) => s.required && s.result === 'not-exercised');
  const certified = totals.failed === 0 && missing.length === 0;
  const headline = certified
    ? `certified at level ${level}: ${totals.passed} rules followed, ${totals['not-exercised']} not exercised, ${totals.warning} warnings`
    : [
        totals.failed ? `${totals.failed} of ${totals.total} TPP rules broken` : '',
        missing.length
          ? `scenarios of level ${level} not exercised: ${missing.map((s) => s.id).join(', ')}`
          : '',
      ]
        .filter(Boolean)
        .join('; ');
  const resultsHash = createHash('sha256')
    .update(JSON.stringify([rules.map((r) => [r.id, r.verdict]), scenarios.map((s) => [s.id, s.result])]))
    .digest('hex')
    .slice(0, 16);
  return {
    clientId: o.clientId,
    level,
    status: certified ? 'certified' : 'not-certified',
    headline,
    rules,
    scenarios,
    totals,
    requests: o.observations.filter((x) => x.kind === 'api' || x.kind === 'token').length,
    resultsHash,
  };
}
