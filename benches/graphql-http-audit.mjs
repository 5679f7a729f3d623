// Runs the graphql-http audit suite (`serverAudits`, npm graphql-http) against a retex server
// and prints every audit that did not pass. Not run by CI or `cargo test`.
//
//   (cd some-folder && npm install graphql-http graphql)
//   NODE_PATH=some-folder/node_modules node benches/graphql-http-audit.mjs http://127.0.0.1:8080/graphql
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.env.NODE_PATH ?? process.cwd(), "x.js"));
const { serverAudits } = require("graphql-http");

const url = process.argv[2] ?? "http://127.0.0.1:8080/graphql";
const results = { ok: 0, warn: [], notice: [], error: [] };
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  if (result.status === "ok") results.ok += 1;
  else (results[result.status] ?? results.error).push(`${audit.id} ${audit.name}: ${result.reason}`);
}
console.log(
  `${results.ok} passed, ${results.warn.length} warnings, ${results.notice.length} notices, ${results.error.length} errors`,
);
const lines = [
  ...results.error.map((l) => `ERROR ${l}`),
  ...results.warn.map((l) => `WARN ${l}`),
  ...results.notice.map((l) => `NOTICE ${l}`),
];
for (const line of lines) {
  console.log(line);
}
process.exit(results.error.length > 0 ? 1 : 0);
