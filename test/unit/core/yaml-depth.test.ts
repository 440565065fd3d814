/**
 * The YAML nesting limit (src/core/yaml-depth.ts): depth counted by hand on small documents, the limit of 64
 * at its boundary, and the 3 KB file that aborted Node inside yaml 2.9's composer (1,000 `[`, then a
 * document of 1,000 `- `: "FATAL ERROR: RegExpCompiler Allocation failed", which no try/catch survives)
 * refused with exit 2 by every reader of YAML input: the config file, the risk register, chaos experiments,
 * failover plans, budget policies and capacity plans (parseYamlInput), and SLO specs.
 */
import { describe, expect, it } from 'vitest';
import { checkSpecs } from '../../../src/core/budget/specs/index.js';
import { parseYaml } from '../../../src/core/config/resolve.js';
import { ReliaError } from '../../../src/core/errors.js';
import { parseRegister } from '../../../src/core/risk/register.js';
import { parseYamlInput } from '../../../src/core/validation.js';
import { checkYamlDepth, MAX_YAML_DEPTH, yamlDepth } from '../../../src/core/yaml-depth.js';
import { inputError } from '../../helpers/errors.js';

const ABORTS_NODE = `${'['.repeat(1000)}\n---\n${'- '.repeat(1000)}x`;

describe('yamlDepth', () => {
  it('counts nested collections of every kind, and nothing in a scalar', () => {
    expect(yamlDepth('')).toEqual({ depth: 0, offset: 0 });
    expect(yamlDepth('just text')).toEqual({ depth: 0, offset: 0 });
    expect(yamlDepth('a: 1').depth).toBe(1);
    // map → seq → flow seq → flow map; the flow map starts at offset 11
    expect(yamlDepth('a:\n  - [1, {b: 2}]\n')).toEqual({ depth: 4, offset: 11 });
    // keys nest too: a flow map used as a key holds a flow seq
    expect(yamlDepth('? {k: [1]}\n: v\n').depth).toBe(3);
    // an entry with no key (its CST key is null), and an empty value
    expect(yamlDepth(': v\n').depth).toBe(1);
    expect(yamlDepth('a:\nb: [x]\n').depth).toBe(2);
    // a block scalar's brackets are text
    expect(yamlDepth('x: |\n  [[[[\n').depth).toBe(1);
    // the deepest of several documents
    expect(yamlDepth('a: 1\n---\n- - - x\n')).toEqual({ depth: 3, offset: 13 });
  });

  it('measures deep nesting without recursing', () => {
    expect(yamlDepth('['.repeat(100_000)).depth).toBe(100_000);
    expect(yamlDepth(`${'- '.repeat(5_000)}x`).depth).toBe(5_000);
  });
});

describe('checkYamlDepth', () => {
  it(`accepts ${MAX_YAML_DEPTH} levels and refuses one more, naming the file and the line`, () => {
    expect(MAX_YAML_DEPTH).toBe(64);
    expect(() => checkYamlDepth(`${'['.repeat(64)}${']'.repeat(64)}`, 'f.yaml')).not.toThrow();
    const e = inputError(() => checkYamlDepth(`a: 1\n\nb: ${'['.repeat(65)}${']'.repeat(65)}\n`, 'f.yaml'));
    expect(e.message).toBe('f.yaml: line 3: collections nested 66 levels deep; relia reads at most 64');
    expect(e.file).toBe('f.yaml');
    expect(e.exitCode).toBe(2);
    expect(e.suggestions).toEqual(['flatten the document: relia files nest a few levels (a mapping of lists of mappings)']);
  });
});

describe('every YAML reader refuses the file that aborted Node', () => {
  const refused = (fn: () => unknown) => {
    const e = inputError(fn);
    expect(e).toBeInstanceOf(ReliaError);
    expect(e.message).toBe('x.yaml: line 3: collections nested 1000 levels deep; relia reads at most 64');
  };

  it('the config file, the risk register and parseYamlInput', () => {
    refused(() => parseYaml(ABORTS_NODE, 'x.yaml'));
    refused(() => parseRegister(ABORTS_NODE, 'x.yaml'));
    refused(() => parseYamlInput(ABORTS_NODE, { file: 'x.yaml', field: '--file', docs: 'docs/chaos.md' }));
  });

  it('SLO specs', () => {
    refused(() => checkSpecs([{ file: 'x.yaml', text: ABORTS_NODE }]));
  });
});
