/** The message codes of a Berlin Group error body: tppMessages, or an RFC 7807 body's code and additionalErrors. */
export function messageCodes(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as {
      tppMessages?: { code?: unknown }[];
      code?: unknown;
      additionalErrors?: { code?: unknown }[];
    };
    return [
      ...(parsed.tppMessages ?? []).map((m) => m.code),
      parsed.code,
      ...(parsed.additionalErrors ?? []).map((e) => e.code),
    ].filter((c): c is string => typeof c === 'string');
  } catch {
    return [];
  }
}
