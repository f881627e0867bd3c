// Test support: runs a snippet in Debian's python (numpy, scipy) with JSON in (`inp`) and JSON out
// (`print(json.dumps(out))`), for small oracle computations in unit tests.
import { execFileSync } from 'node:child_process';

export function python<T>(code: string, input: unknown): T {
  const prog = `import json, sys\nimport numpy as np\ninp = json.load(sys.stdin)\n${code}\n`;
  const out = execFileSync('/usr/bin/python3', ['-c', prog], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out) as T;
}
