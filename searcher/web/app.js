// cite's web page: the state is the URL (?view=...&q=...), every view is drawn from the JSON
// API (/api/...). Text from the corpus is only ever put into the page as text (textContent
// through el()), never as HTML.
"use strict";

const PAGE = 10;
const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// An element with attributes and children; strings become text nodes.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function state() { return new URLSearchParams(location.search); }

// A link within the page (same origin, our own parameters only).
function href(params) { return "/?" + new URLSearchParams(params).toString(); }

function go(params) {
  history.pushState(null, "", href(params));
  render();
}

async function api(path, params, options) {
  const url = "/api/" + path + (params ? "?" + new URLSearchParams(params).toString() : "");
  const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options || {}));
  const type = response.headers.get("Content-Type") || "";
  const body = type.startsWith("application/json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error(body && body.error ? body.error : "HTTP " + response.status);
  return body;
}

function status(text) { $("status").textContent = text; }

// How a highlight matched (docs/searching.md "How each word matched"), as its tooltip.
function howMatched(h) {
  const typed = h.query_word ? " " + h.query_word : "";
  switch (h.matched_as) {
    case "exact": return "exact:" + typed;
    case "folded": return "folded (case, accents, apostrophes) from" + typed;
    case "stem": return "stem of" + typed;
    case "transliteration": return "transliteration of" + typed;
    case "alias": return "alias: " + (h.alias || "");
    case "figure": return h.figure ? "figure: " + h.figure.value + (h.figure.value_to !== undefined ? "–" + h.figure.value_to : "") +
                                     (h.figure.unit ? " " + h.figure.unit : "") : "figure";
    default: return null;
  }
}

// The quote with its matched words marked: highlights are byte ranges in the file, the quote
// starts at quoteStart.
function marked(quote, quoteStart, highlights) {
  const bytes = encoder.encode(quote);
  const out = [];
  let at = 0;
  for (const h of (highlights || []).slice().sort((a, b) => a.start_byte - b.start_byte)) {
    const s = h.start_byte - quoteStart, e = h.end_byte - quoteStart;
    if (s < at || e > bytes.length) continue;
    out.push(decoder.decode(bytes.subarray(at, s)));
    out.push(el("mark", { text: decoder.decode(bytes.subarray(s, e)), class: h.matched_as ? "m-" + h.matched_as : null,
                          title: howMatched(h) }));
    at = e;
  }
  out.push(decoder.decode(bytes.subarray(at)));
  return out;
}

function metaLine(r) {
  const parts = [r.title ? r.title : null, (r.authors || []).join(", ") || null, r.publisher || r.container_title || null,
                 r.date || null].filter(Boolean);
  return el("div", { class: "meta", text: parts.join(" · ") });
}

function cslItem(r) {
  const item = { id: r.source + (r.record ? "#" + r.record : ""), type: "article", title: r.title || r.source };
  if ((r.authors || []).length) item.author = r.authors.map((a) => ({ literal: a }));
  if (r.publisher) item.publisher = r.publisher;
  if (r.container_title) item["container-title"] = r.container_title;
  if (r.date) item.issued = { "date-parts": [r.date.split("-").map(Number)] };
  return item;
}

// `text`: the text to copy, or an async function giving it (fetched when clicked).
function copyButton(label, text) {
  return el("button", {
    type: "button", class: "secondary", "aria-label": label,
    onclick: async (event) => {
      const button = event.currentTarget;
      let copied = "";
      try {
        copied = typeof text === "function" ? await text() : text;
        button.dataset.copied = copied;
        await navigator.clipboard.writeText(copied);
        button.textContent = "Copied";
      } catch (e) { button.textContent = "Copy failed"; }
      setTimeout(() => { button.textContent = label; }, 1500);
    },
  }, label);
}

function viewerLink(source, start, end, record) {
  if (record) return null;
  return el("a", { href: href({ view: "source", source, start, end }), class: "view-source" }, "View in source");
}

// The BibTeX entry of the search result at `rank` (from 1): the same search, that one result,
// written by the server as `searcher --format bibtex` writes it (the corpus's citation keys).
function bibtexOf(search, rank) {
  return async () => {
    const params = Object.assign({}, search, { offset: rank - 1, limit: 1, format: "bibtex" });
    const response = await fetch("/api/search?" + new URLSearchParams(params).toString());
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.text();
  };
}

// One cited passage: citation line, metadata, quotes with highlights, copy and view buttons.
// `search`: the search's parameters, for a result of ranked search (its BibTeX button).
function citedHit(r, search) {
  const quotes = (r.evidence || []).map((e) => el("blockquote", { "data-start": e.start_byte, "data-end": e.end_byte },
    marked(e.quote, e.start_byte, e.highlights)));
  const first = (r.evidence || [])[0];
  const quoteText = first ? first.quote : "";
  const where = r.citation + (first ? ", bytes " + first.start_byte + "–" + first.end_byte : "");
  const title = r.title || r.source;
  return el("article", { class: "result" },
    el("div", { class: "citation", text: (r.rank ? r.rank + ". " : "") + r.citation }),
    metaLine(r), quotes,
    el("div", { class: "actions" },
      copyButton("Copy Markdown", "> " + quoteText + "\n\n— *" + title + "*, " + where),
      copyButton("Copy plain text", "“" + quoteText + "” (" + title + ", " + where + ")"),
      copyButton("Copy CSL-JSON", JSON.stringify([cslItem(r)], null, 2)),
      search && r.rank ? copyButton("Copy BibTeX", bibtexOf(search, r.rank)) : null,
      viewerLink(r.source, first ? first.start_byte : r.start_byte, first ? first.end_byte : r.end_byte, r.record)));
}

const FILTERS = ["source", "author", "publisher", "title", "from", "to"];

// The URL's filters as API parameters: from= and to= become one date= range.
function filters(s) {
  const out = {};
  for (const name of ["source", "author", "publisher", "title"]) if (s.get(name)) out[name] = s.get(name);
  if (s.get("from") || s.get("to")) out.date = (s.get("from") || "") + ".." + (s.get("to") || "");
  return out;
}

async function showSearch(s, results) {
  const offset = Number(s.get("offset") || 0);
  const search = Object.assign({ q: s.get("q") }, filters(s));
  if (s.get("sort") && s.get("sort") !== "relevance") search.sort = s.get("sort");
  const data = await api("search", Object.assign({ limit: PAGE, offset }, search));
  status(data.total_matches + " matching passage(s)" + (data.results.length ? ", showing " + (offset + 1) + "–" +
         (offset + data.results.length) : ""));
  results.append(...data.results.map((r) => citedHit(r, search)));
  const pager = el("nav", { class: "pager", "aria-label": "Pages" });
  const page = (o) => Object.assign(Object.fromEntries(s), { offset: o });
  if (offset > 0) pager.append(el("a", { href: href(page(Math.max(0, offset - PAGE))), rel: "prev" }, "← Previous"));
  if (offset + PAGE < data.total_matches) pager.append(el("a", { href: href(page(offset + PAGE)), rel: "next" }, "Next →"));
  results.append(pager);
}

function barChart(label, rows) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const chart = el("div", { class: "chart", role: "list", "aria-label": label });
  for (const r of rows) {
    chart.append(el("div", { role: "listitem", class: "chart-name", text: r.name }),
      el("div", {}, el("span", { class: "bar", style: null, "data-count": r.count, text: String(r.count),
                                 "aria-label": r.name + ": " + r.count })));
  }
  // Widths set through the CSSOM (the CSP allows no inline style attribute).
  chart.querySelectorAll(".bar").forEach((bar) => { bar.style.width = (100 * bar.dataset.count / max) + "%"; });
  return chart;
}

async function showMentions(s, results) {
  const data = await api("mentions", Object.assign({ q: s.get("q") }, filters(s)));
  const m = data.mentions;
  status(m.total + " mention(s) in " + m.per_file.length + " file(s), " + m.passages + " passage(s)" +
         (m.exhaustive ? "; every occurrence counted" : ""));
  results.append(el("h2", { text: "Per source" }),
    barChart("Mentions per source", m.per_file.map((f) => ({ name: f.source, count: f.count }))));
  if (m.per_alias.length)
    results.append(el("h2", { text: "Per alias" }),
      barChart("Mentions per alias", m.per_alias.map((a) => ({ name: a.alias, count: a.count }))));
  results.append(el("h2", { text: "Every mention, in corpus order" }), ...data.results.map((r) => citedHit(r)));
}

async function showFacts(s, results) {
  const data = await api("facts", { q: s.get("q") });
  status(data.figures + " figure(s) in " + data.passages + " passage(s)");
  for (const unit of data.units) {
    const table = el("table", {}, el("thead", {}, el("tr", {}, ["Figure", "Value", "Quote", "Source"].map(
      (h) => el("th", { scope: "col", text: h })))));
    const body = el("tbody");
    for (const f of unit.facts) {
      const e = (f.evidence || [])[0];
      body.append(el("tr", {}, el("td", { text: f.text }),
        el("td", { text: String(f.value) + (f.value_to !== null ? "–" + f.value_to : "") }),
        el("td", {}, e ? marked(e.quote, e.start_byte, [{ start_byte: f.start_byte, end_byte: f.end_byte }]) : ""),
        el("td", {}, el("span", { class: "citation", text: f.citation }), " ",
          viewerLink(f.source, f.start_byte, f.end_byte, f.record))));
    }
    table.append(body);
    results.append(el("h2", { text: unit.unit || "count" }), table);
  }
}

function claimBlock(c) {
  const block = el("section", { class: "claim" },
    el("h2", { text: c.claim }),
    el("p", { class: "verdict " + c.verdict.replace(/ /g, "-"), text: "Verdict: " + c.verdict }));
  for (const e of c.evidence || []) {
    const hit = citedHit(e);
    const list = el("ul");
    for (const cmp of e.comparisons || [])
      list.append(el("li", { class: cmp.status === "differs" ? "differs" : null,
        text: cmp.claimed.text + ": " + cmp.status + (cmp.found ? " — the passage says “" + cmp.found.text + "”" : "") }));
    hit.append(list);
    block.append(hit);
  }
  return block;
}

async function showCheck(s, results) {
  const data = await api("check", { claim: s.get("q") });
  status(data.claims.length + " claim checked");
  results.append(...data.claims.map(claimBlock));
}

async function showQuote(s, results) {
  const data = await api("quote", { q: s.get("q") });
  status("Quote checked: " + data.verdict);
  results.append(el("p", { class: "verdict " + data.verdict.replace(/ /g, "-"), text: "Verdict: " + data.verdict }));
  for (const m of data.matches || []) {
    const diffs = el("ul");
    for (const d of m.differences || [])
      diffs.append(el("li", { class: "differs", text: d.kind + ": «" + d.quoted + "» in the quote, «" + d.source +
                                                       "» in the source (bytes " + d.start_byte + "–" + d.end_byte + ")" }));
    results.append(el("article", { class: "result" },
      el("div", { class: "citation", text: m.citation + ", bytes " + m.start_byte + "–" + m.end_byte }), metaLine(m),
      el("blockquote", {}, el("mark", { text: m.source_text })), diffs,
      el("div", { class: "actions" }, viewerLink(m.source, m.start_byte, m.end_byte, m.record))));
  }
}

async function showSources(s, results) {
  const data = await api("sources");
  status(data.sources.length + " source(s), " + data.passages + " passage(s)");
  const body = el("tbody");
  for (const src of data.sources)
    body.append(el("tr", {}, el("td", {}, el("a", { href: href({ view: "source", source: src.id }), text: src.id })),
      el("td", { text: src.meta.title || "" }), el("td", { text: String(src.passages) })));
  results.append(el("table", {}, el("thead", {}, el("tr", {}, ["Source", "Title", "Passages"].map(
    (h) => el("th", { scope: "col", text: h })))), body));
}

// The whole source, the cited byte range marked and scrolled to, its paragraph shaded.
async function showSource(s, results) {
  const data = await api("text", { source: s.get("source") });
  const bytes = encoder.encode(data.text);
  const start = Math.min(Number(s.get("start") || 0), bytes.length);
  const end = Math.max(start, Math.min(Number(s.get("end") || start), bytes.length));
  status("Source " + data.source + ", " + data.passages.length + " passage(s)");
  const pre = el("pre", { class: "source", tabindex: "0", "aria-label": "Text of " + data.source });
  const cuts = new Set([0, bytes.length, start, end]);
  for (const p of data.passages) { cuts.add(p.start_byte); cuts.add(p.end_byte); }
  const points = [...cuts].sort((a, b) => a - b);
  const current = data.passages.find((p) => p.start_byte <= start && start < p.end_byte);
  let mark = null;
  for (let i = 0; i + 1 < points.length; ++i) {
    const [a, b] = [points[i], points[i + 1]];
    const text = decoder.decode(bytes.subarray(a, b));
    const inCurrent = current && a >= current.start_byte && b <= current.end_byte;
    if (a >= start && b <= end && end > start) {
      const m = el("mark", { "data-start": a, "data-end": b, text });
      mark = mark || m;
      pre.append(inCurrent ? el("span", { class: "passage-current" }, m) : m);
    } else {
      pre.append(inCurrent ? el("span", { class: "passage-current", text }) : text);
    }
  }
  results.append(el("h2", { text: data.meta.title || data.source }),
    el("div", { class: "citation", text: data.source + (current ? " ¶" + current.ordinal + " l." + current.line : "") +
                                          (end > start ? ", bytes " + start + "–" + end : "") }),
    el("div", { class: "actions" }, el("a", { href: location.pathname + location.search, id: "permalink" }, "Permalink"),
      current ? copyButton("Copy highlighted text", decoder.decode(bytes.subarray(start, end))) : null),
    pre);
  if (mark) mark.scrollIntoView({ block: "center" });
}

async function buildReport(format) {
  const claims = $("claims").value;
  const results = $("results");
  results.replaceChildren();
  status("Checking…");
  try {
    const response = await fetch("/api/report?format=" + format, { method: "POST", body: claims,
      headers: { "Content-Type": "text/plain" }, credentials: "same-origin" });
    const text = await response.text();
    if (!response.ok) throw new Error(JSON.parse(text).error);
    const blob = new Blob([text], { type: format === "json" ? "application/json" : "text/markdown" });
    results.append(el("a", { href: URL.createObjectURL(blob), download: "report." + (format === "json" ? "json" : "md"),
                              id: "download" }, "Download the report"),
      el("pre", { class: "source", text }));
    status("Report ready");
  } catch (e) { status("Error: " + e.message); }
}

const VIEWS = { search: showSearch, mentions: showMentions, facts: showFacts, check: showCheck, quote: showQuote,
                sources: showSources, source: showSource };
const LABELS = { search: "Query", mentions: "Topic (every mention of it and its aliases)", facts: "Query (figures of)",
                 check: "Claim to check", quote: "Quotation to verify" };

async function render() {
  const s = state();
  const view = s.get("view") || "search";
  document.querySelectorAll("nav a").forEach((a) => {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  const queryForm = $("query-form");
  queryForm.hidden = !(view in LABELS);
  $("report-form").hidden = view !== "report";
  $("filters").hidden = !(view === "search" || view === "mentions");
  $("q-label").textContent = LABELS[view] || "";
  $("q").value = s.get("q") || "";
  for (const name of FILTERS) $("f-" + name).value = view === "source" ? "" : (s.get(name) || "");
  $("f-sort").value = s.get("sort") || "relevance";
  $("sort-label").hidden = view !== "search";
  const results = $("results");
  results.replaceChildren();
  status("");
  if (view === "report") return;
  if (view in LABELS && !s.get("q")) return;
  status("Searching…");
  try {
    await VIEWS[view](s, results);
  } catch (e) {
    status("Error: " + e.message);
  }
  document.title = (s.get("q") ? s.get("q") + " — " : "") + "cite";
}

document.addEventListener("DOMContentLoaded", () => {
  $("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const view = state().get("view") || "search";
    const params = { view, q: $("q").value };
    if (view === "search" || view === "mentions")
      for (const name of FILTERS) if ($("f-" + name).value) params[name] = $("f-" + name).value;
    if (view === "search" && $("f-sort").value !== "relevance") params.sort = $("f-sort").value;
    go(params);
  });
  $("report-form").addEventListener("submit", (event) => {
    event.preventDefault();
    buildReport(event.submitter ? event.submitter.value : "markdown");
  });
  // Links within the page change the state without reloading.
  document.addEventListener("click", (event) => {
    const a = event.target.closest("a");
    if (!a || a.target || a.hasAttribute("download") || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname !== "/") return;
    event.preventDefault();
    history.pushState(null, "", url.pathname + url.search);
    render();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = document.activeElement && document.activeElement.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA") return;
    event.preventDefault();
    $("q").focus();
  });
  window.addEventListener("popstate", render);
  render();
});
