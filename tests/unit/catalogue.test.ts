import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FAULTS } from '../../sandbox/faults/index.ts';
import { loadCatalogue } from '../../src/checks/catalogue.ts';
import { grepText, selectChecks } from '../../src/checks/select.ts';
import { throughBrowser } from '../../src/checks/types.ts';
import { loadProfile } from '../../src/config/profile.ts';
import { PACKAGE_ROOT, packagePath } from '../../src/paths.ts';

const CHECKS = loadCatalogue();

/** Every check ID written out in a spec declaration (`id: 'CON-001'`), with the file it is in. */
function declaredInSource(): { id: string; file: string }[] {
  const specs = readdirSync(packagePath('specs'), { recursive: true, withFileTypes: true }).filter(
    (e) => e.isFile() && e.name.endsWith('.spec.ts'),
  );
  return specs.flatMap((e) => {
    const file = path.relative(PACKAGE_ROOT, path.join(e.parentPath, e.name));
    const text = readFileSync(packagePath(file), 'utf8');
    return [...text.matchAll(/^\s+id: '([A-Z][A-Z0-9-]+)',$/gm)].map((m) => ({ id: m[1] ?? '', file }));
  });
}

describe('the check catalogue, assembled from the specs', () => {
  it('lists every check Playwright lists, each ID written out in full in its spec, once', () => {
    const source = declaredInSource();
    const listed = CHECKS.map((c) => `${c.id} ${c.location.file}`).sort();
    assert.deepEqual(source.map((d) => `${d.id} ${d.file}`).sort(), listed);
    assert.equal(new Set(CHECKS.map((c) => c.id)).size, CHECKS.length, 'IDs are unique');
    for (const c of CHECKS) assert.match(c.id, /^[A-Z]{2,4}(-[A-Z]{3})?-\d{3}$/, c.id);
  });

  it("locates each check at the line of its spec's test() call", () => {
    for (const c of CHECKS) {
      const line = readFileSync(packagePath(c.location.file), 'utf8').split('\n')[c.location.line - 1] ?? '';
      assert.match(line, /^test\(/, `${c.id} at ${c.location.file}:${c.location.line}`);
    }
  });

  it('declares every field a report needs, and the browser tag exactly where a check needs the browser', () => {
    for (const c of CHECKS) {
      assert.ok(c.title.length > 10 && c.reference.length > 3, c.id);
      assert.ok(['blocker', 'critical', 'normal', 'minor'].includes(c.severity), c.id);
      assert.ok(c.service, c.id);
      assert.equal(c.tags.includes('browser'), throughBrowser(c.needs), c.id);
    }
  });

  it('names only checks that exist, wherever a check is named: faults, profiles', () => {
    const ids = new Set(CHECKS.map((c) => c.id));
    const named = [
      ...FAULTS.flatMap((f) => f.detectedBy.map((id) => `${id} (fault ${f.id})`)),
      ...['sandbox', 'berlin-group', 'mypos'].flatMap((p) =>
        loadProfile(p).deviations.map((d) => `${d.check} (profile ${p})`),
      ),
    ];
    assert.deepEqual(
      named.filter((n) => !ids.has(n.split(' ')[0] ?? '')),
      [],
    );
  });

  it('selects with --grep as Playwright does: ID, title, file and tags', () => {
    assert.deepEqual(
      selectChecks(CHECKS, 'CON-00[2-3]').map((c) => c.id),
      ['CON-002', 'CON-003'],
    );
    assert.ok(selectChecks(CHECKS, '@browser').every((c) => throughBrowser(c.needs)));
    assert.ok(selectChecks(CHECKS, 'card-accounts.spec').every((c) => c.service === 'Card accounts'));
    assert.equal(selectChecks(CHECKS, 'no check is called this').length, 0);
    const con001 = CHECKS.find((c) => c.id === 'CON-001');
    assert.ok(con001 && grepText(con001).includes('consents/consents.spec.ts CON-001 '));
  });
});
