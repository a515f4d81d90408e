/**
 * Self-contained HTML pages (no CDN: servers often run without internet access): the API reference
 * at /api/docs, rendered in the browser from /api/openapi.json, and until the web UI ships the
 * placeholders at / (recent flow runs) and /runs/{id} (one flow run). Their inline scripts call the
 * API and HTML-escape everything it answers.
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

/** The placeholder at /: what this is, where the API docs are, and the 20 newest flow runs. */
export const HOME_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sluice</title><style>${STYLE}</style></head>
<body><h1>Sluice</h1>
<p>The Sluice server is running. The web UI arrives in a later release; meanwhile use the CLI
(<code>sluice</code>) or the API: see the <a href="/api/docs">API reference</a>.</p>
<h2>Recent flow runs</h2><div id="runs">Loading…</div>
<script>
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;","\\"":"&quot;","'":"&#39;"})[c]);
fetch("/api/flow-runs/filter", { method: "POST", headers: { "content-type": "application/json" },
  body: JSON.stringify({ limit: 20, sort: "EXPECTED_START_TIME_DESC" }) })
  .then((r) => r.json()).then((page) => {
    if (!page.items) throw new Error(page.message || "unexpected answer");
    if (page.items.length === 0) { document.getElementById("runs").textContent = "No flow runs yet."; return; }
    document.getElementById("runs").innerHTML = "<table><tr><th>Flow</th><th>Run</th><th>State</th><th>Expected start</th></tr>" +
      page.items.map((r) => "<tr><td>" + esc(r.flowName) + "</td><td><a href='/runs/" + esc(encodeURIComponent(r.id)) + "'>" +
        esc(r.name) + "</a></td><td>" + esc(r.stateName) +
        "</td><td>" + esc(r.expectedStartTime) + "</td></tr>").join("") + "</table>";
  }).catch((e) => { document.getElementById("runs").textContent = "Could not load flow runs: " + e.message; });
</script></body></html>`;

/** A JSON string literal safe inside an inline <script> (no "</script>", no line separators). */
function scriptString(value: string): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The placeholder at /runs/{id} (FLOW_RUN_PAGE_PATH): the flow run, its state history, its task runs and its logs. */
export function runPageHtml(flowRunId: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sluice flow run</title><style>${STYLE}</style></head>
<body><p><a href="/">Sluice</a> / flow run</p><h1 id="title">Flow run</h1>
<div id="run">Loading…</div>
<h2>State history</h2><div id="states">Loading…</div>
<h2>Task runs</h2><div id="task-runs">Loading…</div>
<h2>Logs</h2><div id="logs">Loading…</div>
<script>
const runId = ${scriptString(flowRunId)};
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;","\\"":"&quot;","'":"&#39;"})[c]);
const show = (id, html) => { document.getElementById(id).innerHTML = html; };
const fail = (id, what) => (e) => { document.getElementById(id).textContent = "Could not load " + what + ": " + e.message; };
const api = (path, body) => fetch(path, body === undefined ? {} : { method: "POST",
  headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json().then((json) => {
    if (!r.ok) throw new Error(json.message || "HTTP " + r.status);
    return json;
  }));
const table = (heads, rows) => rows.length === 0 ? "None." : "<table><tr>" + heads.map((h) => "<th>" + esc(h) + "</th>").join("") +
  "</tr>" + rows.map((cells) => "<tr>" + cells.map((c) => "<td>" + esc(c) + "</td>").join("") + "</tr>").join("") + "</table>";
const id = encodeURIComponent(runId);
api("/api/flow-runs/" + id).then((r) => {
  document.getElementById("title").textContent = "Flow run " + r.name;
  show("run", table(["Field", "Value"], [["Id", r.id], ["Flow", r.flowName], ["State", r.stateName],
    ["Message", r.state && r.state.message], ["Expected start", r.expectedStartTime], ["Start", r.startTime],
    ["End", r.endTime], ["Run count", r.runCount], ["Tags", r.tags.join(", ")]]) +
    "<p><b>Parameters</b></p><pre>" + esc(JSON.stringify(r.parameters, null, 2)) + "</pre>" +
    "<p>API: <a href='/api/flow-runs/" + esc(id) + "'>/api/flow-runs/" + esc(id) + "</a></p>");
}).catch(fail("run", "the flow run"));
api("/api/flow-runs/" + id + "/states").then((states) => show("states",
  table(["Time", "State", "Message"], states.map((s) => [s.timestamp, s.name, s.message])))).catch(fail("states", "the states"));
api("/api/task-runs/filter", { flowRunIds: [runId], limit: 1000, sort: "CREATED_ASC" }).then((page) => show("task-runs",
  table(["Task run", "State", "Start", "End", "Runs"], page.items.map((t) => [t.name, t.stateName, t.startTime, t.endTime, t.runCount]))))
  .catch(fail("task-runs", "the task runs"));
api("/api/logs/filter", { flowRunId: runId, limit: 1000, sort: "TIMESTAMP_ASC" }).then((page) => show("logs",
  table(["Time", "Level", "Logger", "Message"], page.items.map((l) => [l.timestamp, l.level, l.name, l.message]))))
  .catch(fail("logs", "the logs"));
</script></body></html>`;
}
