/**
 * The self-contained API reference page at /api/docs (no CDN: servers often run without internet
 * access), rendered in the browser from /api/openapi.json; its inline script HTML-escapes everything.
 * The web UI (packages/ui) serves every other page; see ui-static.ts.
 */

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #1d2433; }
  h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #dde; text-transform: capitalize; }
  code, pre { font: 13px ui-monospace, monospace; } pre { background: #f5f6fa; padding: .75rem; overflow: auto; }
  details { border: 1px solid #e3e5ee; border-radius: 6px; margin: .5rem 0; padding: .4rem .75rem; }
  summary { cursor: pointer; } .m { display: inline-block; width: 4.2rem; font-weight: 700; text-transform: uppercase; }
  .get { color: #1769aa; } .post { color: #2e7d32; } .patch { color: #b26a00; } .delete { color: #c62828; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #eee; }
`;

/** The API reference page: fetches the OpenAPI document and lists every operation with its schemas. */
export const API_DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sluice API reference</title><style>${STYLE}</style></head>
<body><h1>Sluice API reference</h1>
<p>Generated from <a href="/api/openapi.json">/api/openapi.json</a>; shared shapes are under Schemas. Errors answer <code>{ code, message, details? }</code>.</p>
<div id="ops">Loading…</div>
<script>
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;","\\"":"&quot;","'":"&#39;"})[c]);
const linkRefs = (html) => html.replace(/&quot;#.components.schemas.([A-Za-z]+)&quot;/g, '<a href="#schema-$1">$1</a>');
const block = (title, value) => value ? "<p><b>" + title + "</b></p><pre>" + linkRefs(esc(JSON.stringify(value, null, 2))) + "</pre>" : "";
fetch("/api/openapi.json").then((r) => r.json()).then((doc) => {
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      (byTag[(op.tags || ["other"])[0]] ||= []).push({ path, method, op });
    }
  }
  let html = "<p>" + esc(doc.info.title) + " " + esc(doc.info.version) + "</p>";
  for (const [tag, ops] of Object.entries(byTag)) {
    html += "<h2>" + esc(tag) + "</h2>";
    for (const { path, method, op } of ops) {
      const body = op.requestBody && op.requestBody.content["application/json"].schema;
      const responses = Object.entries(op.responses).map(([status, r]) =>
        "<li><code>" + esc(status) + "</code> " + esc(r.description) + "</li>").join("");
      const ok = Object.entries(op.responses).find(([s]) => s.startsWith("2"));
      html += "<details><summary><span class='m " + method + "'>" + method + "</span><code>" + esc(path) +
        "</code> " + esc(op.summary || "") + "</summary><p><code>" + esc(op.operationId) + "</code></p>" +
        block("Parameters", op.parameters) + block("Request body", body) + "<p><b>Responses</b></p><ul>" + responses +
        "</ul>" + block("Success body", ok && ok[1].content && ok[1].content["application/json"].schema) + "</details>";
    }
  }
  html += "<h2>Schemas</h2>";
  for (const [name, schema] of Object.entries((doc.components && doc.components.schemas) || {})) {
    html += "<details id='schema-" + esc(name) + "'><summary><code>" + esc(name) + "</code></summary>" + block("", schema) + "</details>";
  }
  document.getElementById("ops").innerHTML = html;
}).catch((e) => { document.getElementById("ops").textContent = "Could not load the API document: " + e; });
</script></body></html>`;
