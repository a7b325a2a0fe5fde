import { randomBytes, randomUUID } from 'node:crypto';
import { RequestReplays } from './replay.ts';
import type { SeedAccount, SeedData } from './seed.ts';

export interface TppClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** The organizationIdentifier of the certificates this client may use. */
  organizationId: string;
  /** The registered TPP whose own faults this client sees (undefined: only the faults for everyone). */
  tpp?: string;
}

export type ConsentStatus =
  | 'received'
  | 'rejected'
  | 'valid'
  | 'revokedByPsu'
  | 'expired'
  | 'terminatedByTpp';

export interface AccessSelection {
  accounts: Set<string>;
  balances: Set<string>;
  transactions: Set<string>;
}

export interface Consent {
  id: string;
  clientId: string;
  request: {
    access: Record<string, unknown>;
    recurringIndicator: boolean;
    validUntil: string;
    frequencyPerDay: number;
    combinedServiceIndicator: boolean;
  };
  status: ConsentStatus;
  psuId?: string;
  granted?: AccessSelection;
  lastActionDate: string;
  /** "day|operation|resource" -> TPP-initiated reads counted */
  usage: Map<string, number>;
  authorisationIds: string[];
  /** Where the PSU returns after SCA, when the consent page is reached by a link without it (myPOS scaOAuth). */
  redirectUri?: string;
}

export interface Payment {
  id: string;
  clientId: string;
  product: string;
  body: Record<string, unknown>;
  status: string;
  psuId?: string;
  authorisationIds: string[];
  cancellationIds: string[];
  redirectUri?: string;
}

export interface AuthorizationRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string | undefined;
  subject: { consentId: string } | { paymentId: string };
  psuId?: string;
  expiresAt: number;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  subject: AuthorizationRequest['subject'];
  expiresAt: number;
  used: boolean;
  /** The access and refresh tokens issued for it: revoked when the code is presented again. */
  issued?: string[];
}

export interface AccessToken {
  token: string;
  clientId: string;
  subject: AuthorizationRequest['subject'] | undefined;
  expiresAt: number;
}

export interface RefreshToken {
  token: string;
  clientId: string;
  subject: AuthorizationRequest['subject'];
  used: boolean;
}

/** Everything the sandbox remembers for one run, in memory. */
export class SandboxState {
  readonly consents = new Map<string, Consent>();
  readonly payments = new Map<string, Payment>();
  readonly authorizationRequests = new Map<string, AuthorizationRequest>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  readonly accountsById = new Map<string, SeedAccount>();
  readonly clients = new Map<string, TppClient>();
  /** The first answers of requests that changed state, by TPP and X-Request-ID. */
  readonly replays = new RequestReplays();
  private readonly tppByOrganization = new Map<string, string | undefined>();
  /** Authorization requests the PSU pages began (the map forgets each once decided). */
  authorizationsStarted = 0;
  /** Accounts the PSU ticked on the review pages, over every decision (a benchmark replays as many). */
  accountsTicked = 0;

  constructor(
    readonly seed: SeedData,
    clients: TppClient[],
  ) {
    for (const account of seed.accounts) this.accountsById.set(account.resourceId, account);
    for (const client of clients) {
      this.clients.set(client.clientId, client);
      this.tppByOrganization.set(client.organizationId, client.tpp);
    }
  }

  /** The registered TPP a client belongs to, for its scoped faults. */
  tppOfClient(clientId: string | undefined): string | undefined {
    return clientId === undefined ? undefined : this.clients.get(clientId)?.tpp;
  }

  /** The registered TPP whose certificates carry this organizationIdentifier. */
  tppOfOrganization(organizationId: string | undefined): string | undefined {
    return organizationId === undefined ? undefined : this.tppByOrganization.get(organizationId);
  }

  accountsOf(psuId: string): SeedAccount[] {
    return this.seed.accounts.filter((a) => a.psuId === psuId);
  }

  /** The PSU's account a reference (IBAN or masked PAN) names; with `psuId` undefined, whoever holds it. */
  findByReference(psuId: string | undefined, reference: Record<string, unknown>): SeedAccount | undefined {
    const candidates = psuId === undefined ? this.seed.accounts : this.accountsOf(psuId);
    return candidates.find(
      (a) =>
        (typeof reference.iban === 'string' && a.iban === reference.iban) ||
        (typeof reference.maskedPan === 'string' && a.maskedPan === reference.maskedPan),
    );
  }

  issueAccessToken(clientId: string, subject: AccessToken['subject'], lifetimeMs: number): AccessToken {
    const token: AccessToken = { token: secret(), clientId, subject, expiresAt: Date.now() + lifetimeMs };
    this.accessTokens.set(token.token, token);
    return token;
  }

  issueRefreshToken(clientId: string, subject: RefreshToken['subject']): RefreshToken {
    const token: RefreshToken = { token: secret(), clientId, subject, used: false };
    this.refreshTokens.set(token.token, token);
    return token;
  }
}

export function secret(): string {
  return randomBytes(24).toString('base64url');
}

export function newId(): string {
  return randomUUID();
}
