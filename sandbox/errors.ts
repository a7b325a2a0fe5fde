import type { FastifyReply } from 'fastify';
import type { FaultView } from './faults/switch.ts';

export interface ErrorOptions {
  path?: string;
  /** The service whose message codes apply; the 403 fault only bends AIS. */
  service?: string;
}

/** Sends a Berlin Group error: tppMessages in application/json, as BG IG 1.3 §14.11 describes. */
export function sendError(
  reply: FastifyReply,
  faults: FaultView,
  status: number,
  code: string | undefined,
  text: string,
  options: ErrorOptions = {},
): FastifyReply {
  reply.code(status);
  if (code === undefined) return reply.send();
  if (faults.has('error-without-tpp-messages'))
    return reply.type('application/json').send({ error: code, message: text });
  const effective =
    faults.has('error-code-not-allowed') &&
    status === 403 &&
    code === 'CONSENT_UNKNOWN' &&
    options.service === 'AIS'
      ? 'FORMAT_ERROR'
      : code;
  const message: Record<string, string> = { category: 'ERROR', code: effective, text: text.slice(0, 500) };
  if (options.path) message.path = options.path;
  return reply.type('application/json').send({ tppMessages: [message] });
}
