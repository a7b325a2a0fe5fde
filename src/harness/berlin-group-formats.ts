/** The closed lists and value formats of Berlin Group that more than one spec checks responses against. */

/** BG OpenAPI 1.3.12 balanceType. */
export const BALANCE_TYPES = [
  'closingBooked',
  'expected',
  'openingBooked',
  'interimAvailable',
  'interimBooked',
  'forwardAvailable',
  'nonInvoiced',
];

/** BG OpenAPI 1.3.12 amountValue, anchored. */
export const AMOUNT_VALUE = /^-?[0-9]{1,14}(\.[0-9]{1,3})?$/;

/** An ISO 8601 date (JSON Schema format date). */
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** RFC 3339 date-time, as JSON Schema's date-time format reads it. */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
