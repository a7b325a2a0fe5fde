/** Deterministic seed data: the same --seed gives the same PSUs, accounts and transactions. */

export interface Psu {
  id: string;
  password: string;
  name: string;
}

export interface SeedTransaction {
  transactionId: string;
  entryReference: string;
  status: 'booked' | 'pending';
  bookingDate: string;
  valueDate: string;
  /** Minor units; negative for a debit. */
  amountMinor: number;
  currency: string;
  counterpartyName: string;
  counterpartyIban: string;
  remittance: string;
}

export interface SeedAccount {
  resourceId: string;
  psuId: string;
  kind: 'account' | 'card';
  iban?: string;
  maskedPan?: string;
  currency: string;
  name: string;
  product: string;
  cashAccountType?: string;
  ownerName: string;
  /** currency -> booked and available balance in minor units */
  balances: { currency: string; bookedMinor: number; availableMinor: number }[];
  transactions: SeedTransaction[];
}

export interface SeedData {
  psus: Psu[];
  accounts: SeedAccount[];
}

export function createSeed(seed: number, today: Date = new Date()): SeedData {
  const random = mulberry32(seed);
  const psus: Psu[] = [
    { id: 'psu-alice', password: `alice-${hex(random, 8)}`, name: 'Alice Example' },
    { id: 'psu-bob', password: `bob-${hex(random, 8)}`, name: 'Bob Example' },
  ];
  const accounts: SeedAccount[] = [];
  const account = (
    psu: Psu,
    name: string,
    currency: string,
    balances: SeedAccount['balances'],
    transactionCount: number,
    extra: Partial<SeedAccount> = {},
  ) => {
    const resourceId = `acc-${hex(random, 12)}`;
    const tx = transactions(random, resourceId, transactionCount, balances[0]?.currency ?? currency, today);
    accounts.push({
      resourceId,
      psuId: psu.id,
      kind: 'account',
      iban: germanIban(random),
      currency,
      name,
      product: 'Girokonto',
      cashAccountType: 'CACC',
      ownerName: psu.name,
      balances,
      transactions: tx,
      ...extra,
    });
  };
  const [alice, bob] = psus as [Psu, Psu];
  account(
    alice,
    'Main account',
    'EUR',
    [{ currency: 'EUR', bookedMinor: 1_254_032, availableMinor: 1_204_032 }],
    2_400,
  );
  account(
    alice,
    'Multi-currency account',
    'XXX',
    [
      { currency: 'EUR', bookedMinor: 50_000, availableMinor: 50_000 },
      { currency: 'USD', bookedMinor: 72_550, availableMinor: 70_000 },
    ],
    40,
    { product: 'Multicurrency' },
  );
  account(
    alice,
    'Savings',
    'EUR',
    [{ currency: 'EUR', bookedMinor: 3_000_000, availableMinor: 3_000_000 }],
    12,
    {
      cashAccountType: 'SVGS',
      product: 'Sparkonto',
    },
  );
  accounts.push(card(random, alice, today));
  account(
    bob,
    'Current account',
    'EUR',
    [{ currency: 'EUR', bookedMinor: 12_345, availableMinor: 10_000 }],
    60,
  );
  account(
    bob,
    'Leva account',
    'BGN',
    [{ currency: 'BGN', bookedMinor: 400_000, availableMinor: 400_000 }],
    25,
  );
  accounts.push(card(random, bob, today));
  return { psus, accounts };
}

function card(random: () => number, psu: Psu, today: Date): SeedAccount {
  const resourceId = `card-${hex(random, 12)}`;
  const last4 = String(Math.floor(random() * 9000) + 1000);
  return {
    resourceId,
    psuId: psu.id,
    kind: 'card',
    maskedPan: `525412******${last4}`,
    currency: 'EUR',
    name: 'Credit card',
    product: 'Gold Card',
    ownerName: psu.name,
    balances: [{ currency: 'EUR', bookedMinor: -45_000, availableMinor: 455_000 }],
    transactions: transactions(random, resourceId, 30, 'EUR', today),
  };
}

const COUNTERPARTIES = [
  'Grocery Store',
  'Utility Co',
  'Employer Ltd',
  'Book Shop',
  'Cafe Central',
  'Landlord',
  'Pharmacy',
];

function transactions(
  random: () => number,
  resourceId: string,
  count: number,
  currency: string,
  today: Date,
): SeedTransaction[] {
  const out: SeedTransaction[] = [];
  const pendingCount = Math.max(1, Math.floor(count / 20));
  for (let i = 0; i < count; i++) {
    const pending = i < pendingCount;
    const daysAgo = pending ? Math.floor(random() * 3) : 3 + Math.floor((i / count) * 360);
    const date = isoDate(new Date(today.getTime() - daysAgo * 86_400_000));
    const credit = random() < 0.2;
    const minor = Math.floor(random() * 50_000) + 100;
    const name = COUNTERPARTIES[Math.floor(random() * COUNTERPARTIES.length)] ?? 'Counterparty';
    out.push({
      transactionId: `${resourceId.slice(-6)}-${String(i).padStart(5, '0')}`,
      entryReference: `E${String(i).padStart(8, '0')}`,
      status: pending ? 'pending' : 'booked',
      bookingDate: date,
      valueDate: date,
      amountMinor: credit ? minor : -minor,
      currency,
      counterpartyName: name,
      counterpartyIban: germanIban(random),
      remittance: `Invoice ${Math.floor(random() * 100_000)}`,
    });
  }
  return out;
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A syntactically valid German IBAN with correct check digits (ISO 13616 mod 97). */
export function germanIban(random: () => number): string {
  let bban = '';
  for (let i = 0; i < 18; i++) bban += String(Math.floor(random() * 10));
  const check = 98 - mod97(`${bban}131400`);
  return `DE${String(check).padStart(2, '0')}${bban}`;
}

/** Whether an IBAN's check digits are right (ISO 13616: the rearranged IBAN, letters as 10..35, mod 97 is 1). */
export function ibanCheckDigitsValid(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`.toUpperCase();
  const digits = [...rearranged]
    .map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch))
    .join('');
  return /^[0-9]+$/.test(digits) && mod97(digits) === 1;
}

function mod97(digits: string): number {
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest;
}

function hex(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** "12.34" from 1234 minor units. */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Minor units from a Berlin Group amount string; undefined when it is not one. */
export function parseAmount(text: string): number | undefined {
  const match = /^(-?)([0-9]{1,14})(?:\.([0-9]{1,3}))?$/.exec(text);
  if (!match) return undefined;
  const fraction = (match[3] ?? '').padEnd(3, '0');
  const thousandths = Number(match[2]) * 1000 + Number(fraction);
  return (match[1] ? -1 : 1) * Math.round(thousandths / 10);
}
