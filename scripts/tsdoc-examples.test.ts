// The TSDoc `@example` blocks of the published source type-check (scripts/tsdoc-examples.ts
// says how an example is wrapped); one that cannot be checked says why with
// `@example (not checked: <why>)`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkExamples, examplesOf, publishedSourceFiles } from './tsdoc-examples.js';

const examples = publishedSourceFiles().flatMap(examplesOf);

describe('TSDoc @example blocks of the published packages', () => {
  it('are found in every package', () => {
    assert.ok(examples.length > 200, `only ${examples.length} examples`);
  });

  it('type-check, with wrong method names and argument counts reported', () => {
    const web = examples.find((example) => example.file.endsWith('web/logto-web.ts'))!;
    const wrong = [
      { ...web, line: -1, code: "const handle = web.open({ method: 'GET', target: '/' });" },
      { ...web, line: -2, code: 'const claims = await client.getIdTokenClaims(1, 2);' },
    ];
    const errors = checkExamples([...examples, ...wrong]);
    assert.equal(errors.filter((e) => /:-1 .*TS2339.*'open'/.test(e)).length, 1, errors.join('\n'));
    assert.equal(errors.filter((e) => /:-2 .*TS2554/.test(e)).length, 1, errors.join('\n'));
    assert.deepEqual(
      errors.filter((e) => !/:-[12] /.test(e)),
      [],
    );
  });

  it('say why when they are not checked', () => {
    const unchecked = examples.filter((example) => example.unchecked);
    assert.ok(unchecked.length <= 3, unchecked.map((e) => `${e.file}:${e.line}`).join('\n'));
  });
});
