import type { FaultDeclaration } from './fault.ts';

/** Faults of input hardening: what a hostile or careless request must not do to the bank. */
export const hardeningFaults = [
  {
    id: 'body-size-unlimited',
    area: 'errors',
    behaviour: 'takes a JSON body of any size: a 4 MiB payment or consent is created',
    rule: 'a body far beyond any XS2A request is refused (413 or 400), not stored',
    reference: 'RFC 9110 §15.5.14 (413 Content Too Large); BG IG 1.3 §14.11 FORMAT_ERROR',
    detectedBy: ['ERR-066', 'ERR-067', 'ERR-068'],
  },
  {
    id: 'deep-json-500',
    area: 'errors',
    behaviour:
      'walks every JSON body recursively without a bound: a deeply nested body overflows the stack (500)',
    rule: "a body that is not the operation's JSON object is refused with 400 FORMAT_ERROR, never a 500",
    reference: 'BG IG 1.3 §14.11 FORMAT_ERROR; RFC 8259 §9 (a parser may limit nesting)',
    detectedBy: ['ERR-069', 'ERR-070', 'ERR-071'],
  },
  {
    id: 'path-control-characters-500',
    area: 'errors',
    behaviour: 'copies a path parameter into a response header: a control character in it ends in a 500',
    rule: 'a resource ID that names no resource (control characters, ../) is refused with 400, 403 or 404, never a 500',
    reference: 'BG IG 1.3 §14.11 RESOURCE_UNKNOWN, FORMAT_ERROR; RFC 3986 §3.3',
    detectedBy: [
      'ERR-072',
      'ERR-073',
      'ERR-074',
      'ERR-075',
      'ERR-076',
      'ERR-077',
      'ERR-078',
      'ERR-084',
      'ERR-085',
      'ERR-086',
      'ERR-087',
      'ERR-088',
      'ERR-089',
    ],
  },
  {
    id: 'unknown-query-parameter-500',
    area: 'errors',
    behaviour: 'answers 500 to a read that carries a query parameter the operation does not define',
    rule: 'an unknown query parameter is ignored or refused with 400 (FORMAT_ERROR, PARAMETER_NOT_SUPPORTED), never a 500',
    reference: 'BG IG 1.3 §14.11 PARAMETER_NOT_SUPPORTED, FORMAT_ERROR',
    detectedBy: [
      'ERR-079',
      'ERR-080',
      'ERR-081',
      'ERR-082',
      'ERR-083',
      'ERR-090',
      'ERR-091',
      'ERR-092',
      'ERR-093',
      'ERR-094',
    ],
  },
] as const satisfies readonly FaultDeclaration[];
