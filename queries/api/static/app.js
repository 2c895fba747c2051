// pmkg's web page: plain JS over the HTTP API (/v1), no build step, no third-party code.
// Every value from the server is written with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const TIERS = { 1: "1 · approved / guideline", 2: "2 · clinical", 3: "3 · case report", 4: "4 · preclinical",
                5: "5 · inferential" };
const LINKS = [  // an evidence id or citation → the source record a clinician can open
  [/^CIVIC\.EID:(\d+)$/, (n) => `https://civicdb.org/links/evidence/${n}`],
  [/^CIVIC\.AID:(\d+)$/, (n) => `https://civicdb.org/links/assertions/${n}`],
  [/^PMID:(\d+)$/, (n) => `https://pubmed.ncbi.nlm.nih.gov/${n}/`],
  [/^(NCT\d+)$/, (n) => `https://clinicaltrials.gov/study/${n}`],
];

// Which entity page shows a node of each label (mirrors queries/api/routes/entity.py's kinds).
const PAGES = { Gene: "genes", Variant: "variants", VariantClass: "variants", MolecularProfile: "variants",
                Allele: "variants", Disease: "diseases", Drug: "drugs", Therapy: "drugs", Evidence: "evidence",
                Recommendation: "evidence" };
let outputTurn = 0;  // each action that fills the results takes a turn; a late answer of an older turn is dropped

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function link(id, text) {
  for (const [pattern, url] of LINKS) {
    const found = pattern.exec(id);
    if (found) return el("a", { href: url(found[1]), target: "_blank", rel: "noopener" }, text || id);
  }
  return el("span", {}, text || id);
}

function entityHref(label, id) {
  return PAGES[label] ? `#/${PAGES[label]}/${encodeURIComponent(id)}` : null;
}

function entityLink(label, id, content) {
  const href = entityHref(label, id);
  return href ? el("a", { href, class: "entity-link" }, content) : el("span", {}, content);
}

function openEntity(label, id) {
  const href = entityHref(label, id);
  if (!href) return;
  if (location.hash === href) showEntity(href.slice(2)); else location.hash = href;
}

async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const key = sessionStorage.getItem("pmkg-api-key");
  if (key) headers.set("X-API-Key", key);
  if (!headers.has("Accept")) headers.set("Accept", "application/json");
  const response = await fetch(path, { ...options, headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : `${response.status} ${response.statusText}`;
    throw new Error(detail);
  }
  return body;
}

function setStatus(text, isError = false) {
  const status = $("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function stamp(build) {
  const sources = build.sources.map((s) => `${s.name} ${s.version} (${s.license})`).join("; ");
  return el("p", { class: "stamp" }, `Build ${build.id}: ${sources}`);
}

function table(caption, headings, rows, narrow = []) {
  const head = el("tr", {}, headings.map((h, i) => el("th", { scope: "col", class: narrow.includes(i) ? "hide-narrow" : null }, h)));
  const body = rows.map(({ cells, cls }) =>
    el("tr", { class: cls || null }, cells.map((c, i) => el("td", { class: narrow.includes(i) ? "hide-narrow" : null }, c))));
  return el("div", { class: "table-wrap" }, el("table", {}, el("caption", {}, caption), el("thead", {}, head), el("tbody", {}, body)));
}

// ---------------------------------------------------------------- autocomplete (ARIA combobox)
function combobox(input, list, types, onChoose) {
  let hits = [], active = -1, timer = null, asked = 0;
  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false");
                        input.removeAttribute("aria-activedescendant"); active = -1; };
  const mark = (index) => {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
    if (index >= 0) { input.setAttribute("aria-activedescendant", list.children[index].id);
                      list.children[index].scrollIntoView({ block: "nearest" }); }
  };
  const choose = (hit) => { close(); onChoose(hit); };
  const show = () => {
    list.replaceChildren(...hits.map((hit, i) => {
      const li = el("li", { id: `${list.id}-${i}`, role: "option", "aria-selected": "false" },
                    el("span", {}, hit.name === hit.matched ? hit.name : `${hit.name} (${hit.matched})`),
                    el("span", { class: "kind" }, `${hit.label} · ${hit.id}`));
      li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(hit); });
      return li;
    }));
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    active = -1;
  };
  // aria-busy: suggestions for the text as typed are still coming (assistive technology, and tests, wait on it).
  const settled = () => list.setAttribute("aria-busy", "false");
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) { hits = []; close(); settled(); return; }
    list.setAttribute("aria-busy", "true");
    timer = setTimeout(async () => {
      const mine = ++asked;
      const params = new URLSearchParams({ q: text, limit: "8" });
      types.forEach((t) => params.append("type", t));
      try {
        const answer = await api(`/v1/search?${params}`);
        // A late answer for text the user has left (Escape, another field) opens nothing.
        if (mine === asked && document.activeElement === input) { hits = answer.hits; show(); }
      } catch (error) { setStatus(error.message, true); }
      if (mine === asked) settled();
    }, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); mark(Math.min(active + 1, hits.length - 1)); }
    else if (event.key === "ArrowUp") { event.preventDefault(); mark(Math.max(active - 1, 0)); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(hits[active]); }
    else if (event.key === "Escape") { close(); }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { clearTimeout(timer); asked++; close(); settled(); }  // also cancels a pending search
  });
  input.addEventListener("blur", () => { clearTimeout(timer); asked++; settled(); setTimeout(close, 150); });
}

// ---------------------------------------------------------------- match results
function renderMatch(answer) {
  const out = [];
  const inputs = answer.inputs.variants.map((v) => ({
    cells: [v.input, v.status, v.variant ? (v.variant.id ? entityLink("Variant", v.variant.id, v.variant.name) : v.variant.name) : "",
            v.message || ""],
    cls: v.status === "normalized" ? null : "resistance",
  }));
  const disease = answer.inputs.disease;
  if (disease) inputs.push({ cells: [disease.input, disease.id ? "diagnosis" : "unrecognized",
                                      disease.id ? entityLink("Disease", disease.id, `${disease.name} (${disease.id})`) : "", ""] });
  out.push(table("How each input was read", ["Input", "Status", "Read as", "Note"], inputs, [3]));

  const rows = answer.therapies.map((t, i) => {
    const evidence = el("span", { class: "evidence" }, t.evidence.slice(0, 6).map((e) =>
      el("span", {}, link(e.id), entityLink("Evidence", e.id, el("span", { "aria-label": `details of ${e.id}` }, "ⓘ")),
         e.citation ? link(e.citation) : null)),
      t.evidence.length > 6 ? `+${t.evidence.length - 6} more` : null);
    const standing = el("span", {}, t.standing || "", t.standing_reason ? el("div", { class: "reason" }, t.standing_reason) : null);
    const pgx = t.pgx.map((p) => `${p.gene}: ${p.action}`).join("; ");
    const sig = t.significance.replace(/ /g, "-");
    return {
      cells: [String(i + 1), entityLink("Therapy", t.therapy_id, el("strong", {}, t.therapy)), el("span", { class: "tier" }, TIERS[t.tier] || String(t.tier)),
              el("span", { class: `sig-${sig}` }, t.significance), t.variant_match, t.disease_match || "—",
              standing, evidence, pgx],
      cls: [t.significance !== "sensitivity" ? "resistance" : null, t.standing ? `standing-${t.standing}` : null]
        .filter(Boolean).join(" ") || null,
    };
  });
  out.push(rows.length
    ? table("Therapies, ranked (resistance beside the therapy it concerns)",
            ["#", "Therapy", "Tier", "Significance", "Match", "Disease match", "Standing", "Evidence", "PGx"], rows, [4])
    : el("p", {}, "No therapy evidence reaches these variants."));

  if (answer.pgx_cautions.length) {
    out.push(el("section", { "aria-label": "PGx dosing" }, el("h3", {}, "PGx dosing"),
      table("Pharmacogenomic cautions (whether or not the drug matched)",
            ["Drug", "On the list", "Action", "Genotype", "Source", "Recommendation"],
            answer.pgx_cautions.map((c) => ({ cells: [c.drug, c.on_therapy_list ? `yes: ${c.therapies.join(", ")}` : (c.cancer_care ? "no (cancer care)" : "no"),
              c.action + (c.strength ? ` (${c.strength})` : ""), c.genotype,
              c.url ? el("a", { href: c.url, target: "_blank", rel: "noopener" }, `${c.source} ${c.id}`) : `${c.source} ${c.id}`,
              c.text.split(" Other Considerations")[0]] })), [5])));
  }
  if (answer.unknown_significance.length) {
    out.push(table("Variants of unknown significance in actionable genes (not tiered)",
      ["Input", "Why", "Therapies for the gene (context)"],
      answer.unknown_significance.map((u) => ({ cells: [u.input, u.reason, u.gene_therapies.slice(0, 6).join(", ")] }))));
  }
  if (answer.warnings.length) {
    out.push(el("section", { "aria-label": "Warnings" }, el("h3", {}, "Warnings"),
      el("ul", { class: "warnings" }, answer.warnings.map((w) => el("li", {}, w)))));
  }
  out.push(stamp(answer.build));
  $("output").replaceChildren(...out);
}

function renderAnnotation(answer) {
  const rows = answer.variants.map((row) => {
    const result = answer.results[row.result];
    return { cells: [row.sample, row.input, result.status, result.variant || "", result.disease || "",
                     result.sensitive_tier ? String(result.sensitive_tier) : "", result.therapies.slice(0, 3).join("; "),
                     result.resistance.slice(0, 2).join("; ")],
             cls: result.resistance.length ? "resistance" : null };
  });
  const samples = answer.samples.map((s) => ({ cells: Object.values(s).map((v) => Array.isArray(v) ? v.slice(0, 4).join("; ") : String(v ?? "")) }));
  const heads = answer.samples.length ? Object.keys(answer.samples[0]) : [];
  $("output").replaceChildren(
    table("Variants", ["Sample", "Input", "Status", "Variant", "Disease", "Best tier", "Therapies", "Resistance"], rows, [4]),
    table("Samples", heads, samples),
    stamp(answer.build));
}

// ---------------------------------------------------------------- entity pages (/v1/genes/… rendered in the page)
function chips(refs, total) {
  const items = refs.map((r) => el("li", {}, entityLink(r.label, r.id, r.name), el("span", { class: "kind" }, ` ${r.id}`)));
  if (total > refs.length) items.push(el("li", { class: "kind" }, `… ${total - refs.length} more`));
  return el("ul", { class: "refs" }, items);
}

function shown(value) {
  if (Array.isArray(value)) return value.length > 8 ? `${value.slice(0, 8).join("; ")} … (${value.length})` : value.join("; ");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function renderEntity(answer) {
  const out = [el("h3", { id: "entity-title" }, answer.name),
               el("p", { class: "kind" }, `${answer.label} · ${answer.id}`)];
  if (answer.synonyms.length) out.push(el("p", {}, el("strong", {}, "Also: "), answer.synonyms.slice(0, 15).join(", ")));
  if (answer.links.length) {
    out.push(el("section", { "aria-label": "Source records" }, el("h4", {}, "Source records"),
      el("ul", { class: "links" }, answer.links.map((l) =>
        el("li", {}, el("a", { href: l.url, target: "_blank", rel: "noopener" }, `${l.title} ${l.id}`))))));
  }
  const ev = answer.evidence;
  out.push(table(`Evidence: ${ev.total} items, by level`, ["Level", "Items"],
                 Object.entries(ev.by_level).map(([level, n]) => ({ cells: [level, String(n)] }))));
  if (Object.keys(ev.by_source).length) {
    out.push(table("Evidence by source", ["Source", "Items"],
                   Object.entries(ev.by_source).map(([source, n]) => ({ cells: [source, String(n)] }))));
  }
  if (answer.label === "Disease") {
    out.push(el("section", { "aria-label": "Broader terms" }, el("h4", {}, "Broader terms, nearest first"),
      chips(answer.ancestors.map((a) => ({ id: a.id, name: a.name, label: "Disease" })), answer.ancestors.length)));
    out.push(el("section", { "aria-label": "Narrower terms" }, el("h4", {}, `Narrower terms (${answer.children_count})`),
      chips(answer.children, answer.children_count)));
  }
  out.push(table("Neighbours", ["Relationship", "Count", "Nodes"], answer.neighbours.map((g) => ({
    cells: [g.direction === "out" ? `→ ${g.relation}` : `← ${g.relation}`, String(g.count), chips(g.nodes, g.count)] }))));
  const props = Object.entries(answer.properties).filter(([, v]) => v !== null && v !== "");
  if (props.length) out.push(table("Properties", ["Property", "Value"], props.map(([k, v]) => ({ cells: [k, shown(v)] }))));
  out.push(stamp(answer.build));
  $("output").replaceChildren(el("section", { class: "entity", "aria-labelledby": "entity-title" }, out));
}

async function showEntity(path) {
  const turn = ++outputTurn;
  const [kind, ...rest] = path.split("/");
  if (!Object.values(PAGES).includes(kind) || !rest.length) { setStatus(`No page is called ${path}.`, true); return; }
  setStatus("Looking it up…");
  try {
    const answer = await api(`/v1/${kind}/${rest.join("/")}`);
    if (turn !== outputTurn) return;
    renderEntity(answer);
    setStatus(`${answer.label} ${answer.name} (${answer.id}), build ${answer.build.id}.`);
  } catch (error) { if (turn === outputTurn) setStatus(error.message, true); }
}

// ---------------------------------------------------------------- curators: diff a release (a job), read its report
function setCurationStatus(text, isError = false) {
  const status = $("curation-status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

async function apiHtml(path) {
  const headers = new Headers({ Accept: "text/html" });
  const key = sessionStorage.getItem("pmkg-api-key");
  if (key) headers.set("X-API-Key", key);
  const response = await fetch(path, { headers });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(body && body.detail ? body.detail : `${response.status} ${response.statusText}`);
  }
  return response.text();
}

async function finishedJob(id) {
  for (;;) {
    const job = await api(`/v1/curation/jobs/${encodeURIComponent(id)}`);
    if (job.state === "done") return job;
    if (job.state === "failed") throw new Error(job.error ? job.error.message : `job ${id} failed`);
    setCurationStatus(`Job ${job.id} ${job.state}: staging the candidate and comparing it with the current build…`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// The report is the server's HTML rendering (every value escaped there); only its elements are taken, under the
// page's own styles and content policy.
function showReport(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const nodes = Array.from(parsed.body.childNodes, (node) => {
    const copy = document.importNode(node, true);
    return copy.nodeName === "TABLE" ? el("div", { class: "table-wrap" }, copy) : copy;
  });
  $("curation-report").replaceChildren(...nodes);
}

async function diffRelease() {
  const files = $("curation-files").files;
  const source = $("curation-source").value.trim();
  if (!source) { setCurationStatus("Name the source the release replaces.", true); $("curation-source").focus(); return; }
  if (!files.length) { setCurationStatus("Choose the release's files.", true); $("curation-files").focus(); return; }
  const form = new FormData();
  form.append("source", source);
  for (const file of files) form.append("files", file);
  form.append("impact", $("curation-impact").checked ? "true" : "false");
  form.append("allow_shrink", $("curation-shrink").checked ? "true" : "false");
  $("curation-report").replaceChildren();
  setCurationStatus(`Uploading ${files.length} file(s) of ${source}…`);
  const submitted = await api("/v1/curation/diff", { method: "POST", body: form });
  const job = await finishedJob(submitted.id);
  const report = job.result;
  const impact = report.impact
    ? `${report.impact.changed_queries} of ${report.impact.queries} patient queries change`
    : "impact not run";
  setCurationStatus(`Job ${job.id} done: candidate build ${report.candidate_build} (${impact}).`);
  showReport(await apiHtml(`/v1/curation/jobs/${encodeURIComponent(job.id)}/report.html?fragment=true`));
}

// ---------------------------------------------------------------- wiring
async function busy(button, work) {
  button.disabled = true;
  try { await work(); } catch (error) { setStatus(error.message, true); } finally { button.disabled = false; }
}

window.addEventListener("hashchange", () => {
  if (location.hash.startsWith("#/")) showEntity(location.hash.slice(2));
});

document.addEventListener("DOMContentLoaded", () => {
  if (location.hash.startsWith("#/")) showEntity(location.hash.slice(2));
  const keyInput = $("api-key");
  keyInput.value = sessionStorage.getItem("pmkg-api-key") || "";
  keyInput.addEventListener("change", () => sessionStorage.setItem("pmkg-api-key", keyInput.value.trim()));

  api("/v1/status").then((status) => {
    const sources = status.sources.map((s) => `${s.name} ${s.version}`).join(", ");
    $("build-line").textContent = `Build ${status.build_id} (${status.finished_at}): ${sources}`;
  }).catch((error) => { $("build-line").textContent = `No build answers: ${error.message}`; });

  combobox($("search"), $("search-list"), [], (hit) => {
    if (hit.label === "Disease") { $("disease").value = hit.name; }
    else if (["Gene", "Variant", "VariantClass"].includes(hit.label)) {
      const box = $("variants");
      box.value = (box.value.trim() ? box.value.trim() + "\n" : "") + hit.name;
    }
    $("search").value = hit.name;
    openEntity(hit.label, hit.id);
  });
  combobox($("disease"), $("disease-list"), ["disease"], (hit) => { $("disease").value = hit.name; });

  $("match-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const variants = $("variants").value.split("\n").map((v) => v.trim()).filter(Boolean);
    if (!variants.length) { setStatus("Enter at least one variant, one a line.", true); $("variants").focus(); return; }
    const body = { variants };
    if ($("disease").value.trim()) body.disease = $("disease").value.trim();
    if ($("assembly").value) body.assembly = $("assembly").value;
    const turn = ++outputTurn;
    busy($("match-button"), async () => {
      setStatus("Matching…");
      const answer = await api("/v1/match", { method: "POST", body: JSON.stringify(body),
                                               headers: { "Content-Type": "application/json" } });
      if (turn !== outputTurn) return;
      renderMatch(answer);
      setStatus(`${answer.therapies.length} therapies for ${variants.length} variants (build ${answer.build.id}).`);
      $("results").focus();
    });
  });

  $("curation-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const button = $("curation-button");
    button.disabled = true;
    diffRelease().catch((error) => setCurationStatus(error.message, true)).finally(() => { button.disabled = false; });
  });

  $("upload-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) { setStatus("Choose a VCF or MAF file first.", true); return; }
    const form = new FormData();
    form.append("file", file);
    if ($("upload-disease").value.trim()) form.append("disease", $("upload-disease").value.trim());
    const turn = ++outputTurn;
    busy($("upload-button"), async () => {
      setStatus(`Annotating ${file.name}…`);
      const answer = await api("/v1/annotate", { method: "POST", body: form });
      if (turn !== outputTurn) return;
      renderAnnotation(answer);
      setStatus(`${answer.variants.length} rows of ${answer.samples.length} samples annotated (build ${answer.build.id}).`);
      $("results").focus();
    });
  });
});
