// Ask a built site's own search worker for words, exactly as its pages do.
//
// usage: node search-words.cjs WORKER_JS INDEX_JSON WORDS_JSON
//
// The worker is the site's own file: Material's (lunr with the site's separator and
// pipeline, used by the MkDocs and ProperDocs builds) or Zensical's. It is run in this
// process with `self` standing for the worker scope, set up with the index file the page
// loads, then sent one query per word in the message the page's search box sends.
// Prints JSON: {"results": {word: [page, ...]}, "dropped": [...], "warnings": [...]}, where
// `dropped` are the words Material's pipeline removes from every query (lunr's stop words).
"use strict";
const fs = require("fs");
const vm = require("vm");

const [workerPath, indexPath, wordsPath] = process.argv.slice(2);
let listener = null;
let reply = null;
const warnings = [];
globalThis.self = globalThis;
globalThis.addEventListener = (type, fn) => { if (type === "message") listener = fn; };
globalThis.postMessage = (message) => { reply = message; };
console.warn = (...args) => warnings.push(args.join(" "));
vm.runInThisContext(fs.readFileSync(workerPath, "utf8"), { filename: workerPath });
const handler = listener || globalThis.onmessage;  // Material listens; Zensical sets self.onmessage
const zensical = !listener;

async function ask(message) {
  reply = null;
  await handler({ data: message });
  for (let i = 0; reply === null && i < 10000; i++) await new Promise((r) => setTimeout(r, 0));
  if (reply === null) throw new Error("the search worker did not answer");
  return reply;
}

// The query message each page's search box sends for a typed word.
function query(word) {
  if (!zensical) return { type: 2, data: word };
  const filter = { input: { type: "operator", data: { operator: "and", operands: [] } }, aggregation: { input: [{ type: "term", data: { field: "tags" } }] } };
  return { type: 2, data: { input: word, filter } };
}

(async () => {
  const index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  // Material's page also sends the options of its search features (this site has no search.suggest).
  const ready = await ask({ type: 0, data: zensical ? index : { ...index, options: { suggest: false } } });
  if (!ready || ready.type !== 1) throw new Error("the search worker did not get ready");
  const lunr = globalThis.lunr;
  const results = {};
  const dropped = [];
  for (const word of JSON.parse(fs.readFileSync(wordsPath, "utf8"))) {
    if (lunr && !lunr.stopWordFilter(new lunr.Token(word.toLowerCase()))) { dropped.push(word); continue; }
    const answer = await ask(query(word));
    const pages = new Set();
    if (zensical) {
      for (const item of answer.data.items) pages.add(index.items[item.id].location.split("#")[0]);
    } else {
      for (const group of answer.data.items) for (const item of group) pages.add(item.location.split("#")[0]);
    }
    results[word] = [...pages];
  }
  process.stdout.write(JSON.stringify({ results, dropped, warnings }));
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
