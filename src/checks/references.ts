/** A URL for a reference in the catalogue, for the report's link. */
export function referenceUrl(reference: string): string {
  const rfc = /RFC (\d+)(?: §([\d.]+))?/.exec(reference);
  if (rfc) return `https://www.rfc-editor.org/rfc/rfc${rfc[1]}${rfc[2] ? `#section-${rfc[2]}` : ''}`;
  if (reference.startsWith('ETSI TS 119 495'))
    return 'https://www.etsi.org/deliver/etsi_ts/119400_119499/119495/';
  if (reference.startsWith('myPOS')) return 'https://developers.mypos.com/apis/psd2-api';
  if (reference.startsWith('RTS')) return 'https://eur-lex.europa.eu/eli/reg_del/2018/389/oj';
  return 'https://www.berlin-group.org/nextgenpsd2-downloads';
}
