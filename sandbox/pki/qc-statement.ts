import { oid, readAll, readOid, readText, sequence, TAG, utf8 } from './der.ts';

/** ETSI TS 119 495 §5.1: the PSD2 QCStatement and its roles of the PSP. */
export const QC_STATEMENTS_EXTENSION_OID = '1.3.6.1.5.5.7.1.3';
export const PSD2_QC_STATEMENT_OID = '0.4.0.19495.2';
export const ORGANIZATION_IDENTIFIER_OID = '2.5.4.97';

export const PSD2_ROLES = {
  PSP_AS: '0.4.0.19495.1.1',
  PSP_PI: '0.4.0.19495.1.2',
  PSP_AI: '0.4.0.19495.1.3',
  PSP_IC: '0.4.0.19495.1.4',
} as const;

export type Psd2Role = keyof typeof PSD2_ROLES;

export interface Psd2Attributes {
  roles: Psd2Role[];
  ncaName: string;
  ncaId: string;
}

/** The DER value of the qcStatements extension holding one PSD2 QCStatement. */
export function encodePsd2QcStatements(attributes: Psd2Attributes): Uint8Array {
  const roles = sequence(...attributes.roles.map((role) => sequence(oid(PSD2_ROLES[role]), utf8(role))));
  const psd2QcType = sequence(roles, utf8(attributes.ncaName), utf8(attributes.ncaId));
  return sequence(sequence(oid(PSD2_QC_STATEMENT_OID), psd2QcType));
}

/** Reads the PSD2 QCStatement from a qcStatements extension value; undefined when it has none. */
export function decodePsd2QcStatements(value: Uint8Array): Psd2Attributes | undefined {
  const [outer] = readAll(value);
  if (!outer || outer.tag !== TAG.sequence) return undefined;
  for (const statement of readAll(outer.content)) {
    const [id, info] = readAll(statement.content);
    if (!id || id.tag !== TAG.oid || readOid(id.content) !== PSD2_QC_STATEMENT_OID || !info) continue;
    const [rolesNode, ncaName, ncaId] = readAll(info.content);
    if (!rolesNode) return undefined;
    const byOid = new Map<string, Psd2Role>(
      Object.entries(PSD2_ROLES).map(([name, o]) => [o, name as Psd2Role]),
    );
    const roles: Psd2Role[] = [];
    for (const role of readAll(rolesNode.content)) {
      const [roleOid] = readAll(role.content);
      const name = roleOid ? byOid.get(readOid(roleOid.content)) : undefined;
      if (name) roles.push(name);
    }
    return {
      roles,
      ncaName: ncaName ? readText(ncaName.content) : '',
      ncaId: ncaId ? readText(ncaId.content) : '',
    };
  }
  return undefined;
}
