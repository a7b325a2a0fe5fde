/** One request and its response (or failure), as recorded for reports. Always redacted. */
export interface Exchange {
  id: number;
  label: string | undefined;
  requestId: string | undefined;
  startedAt: string;
  durationMs: number;
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string | undefined;
  };
  response?: {
    status: number;
    headers: Record<string, string>;
    body: string;
  };
  error?: string;
}

export function formatExchange(exchange: Exchange): string {
  const lines = [`${exchange.request.method} ${exchange.request.url}`];
  for (const [k, v] of Object.entries(exchange.request.headers)) lines.push(`${k}: ${v}`);
  if (exchange.request.body) lines.push('', exchange.request.body);
  lines.push('');
  if (exchange.response) {
    lines.push(`HTTP ${exchange.response.status}  (${exchange.durationMs} ms)`);
    for (const [k, v] of Object.entries(exchange.response.headers)) lines.push(`${k}: ${v}`);
    if (exchange.response.body) lines.push('', exchange.response.body);
  } else {
    lines.push(`no response: ${exchange.error ?? 'unknown failure'}`);
  }
  return lines.join('\n');
}
