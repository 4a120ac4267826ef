// almanac default theme: dark-mode toggle, search, section links, copy buttons, Mermaid.
// Everything is local; the site works without this script.
(function () {
  var root = document.documentElement;
  var base = root.getAttribute("data-root") || "";
  var prefersDark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
  function scheme() {
    root.setAttribute("data-scheme", root.dataset.theme || (prefersDark && prefersDark.matches ? "dark" : "light"));
  }
  scheme();
  if (prefersDark && prefersDark.addEventListener) prefersDark.addEventListener("change", scheme);

  var toggle = document.querySelector(".al-theme-button");
  if (toggle) toggle.addEventListener("click", function () {
    var dark = root.getAttribute("data-scheme") === "dark";
    root.dataset.theme = dark ? "light" : "dark";
    try { localStorage.setItem("almanac-theme", root.dataset.theme); } catch (e) { /* storage may be off */ }
    scheme();
  });

  // A `#` link beside each heading of the page, to share the section.
  document.querySelectorAll(".al-content :is(h1, h2, h3, h4, h5, h6)[id]").forEach(function (heading) {
    var link = document.createElement("a");
    link.className = "al-anchor";
    link.href = "#" + encodeURIComponent(heading.id);
    link.setAttribute("aria-label", "Link to this section");
    link.textContent = "#";
    heading.append(" ", link);
  });

  // Copy buttons: shell blocks are copied as commands, without `$ ` prompts or output.
  document.querySelectorAll("pre > code").forEach(function (code) {
    var pre = code.parentNode;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "al-copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy to clipboard");
    button.addEventListener("click", function () {
      var lang = pre.getAttribute("data-lang") || "";
      var text = code.textContent;
      var lines = text.replace(/\n$/, "").split("\n");
      var prompted = lines.some(function (l) { return /^\s*\$ /.test(l); });
      if (prompted || lang === "console") {
        text = lines.filter(function (l) { return /^\s*\$ /.test(l); })
          .map(function (l) { return l.replace(/^\s*\$ /, ""); }).join("\n") + "\n";
      }
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
      } else { fallback(text); done(); }
    });
    pre.appendChild(button);
  });
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    area.remove();
  }

  // Search: the index is a script, loaded on first use (works from file:// too).
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-results");
  var entries = null, waiting = [];
  function withIndex(then) {
    if (entries) return then();
    waiting.push(then);
    if (waiting.length > 1) return;
    window.almanacSearch = function (data) {
      // A heading is its text alone when its id is the text's slug (GitHub's
      // rule, on ASCII text): spelled out again here as [id, text].
      data.forEach(function (e) {
        e.h = e.h.map(function (h) {
          return typeof h === "string" ? [h.toLowerCase().replace(/[^a-z0-9 _-]/g, "").replace(/ /g, "-"), h] : h;
        });
      });
      entries = data;
      waiting.forEach(function (f) { f(); });
      waiting = [];
    };
    var s = document.createElement("script");
    s.src = base + "search-index.js";
    document.head.appendChild(s);
  }
  // Results are built from nodes, never from markup: titles, headings and
  // URLs come from the site's files, which a pull request may have named.
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function appendMarked(parent, text, words) {
    var pattern = words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|");
    var parts = pattern ? text.split(new RegExp("(" + pattern + ")", "gi")) : [text];
    parts.forEach(function (part, i) {
      if (!part) return;
      parent.appendChild(i % 2 ? element("mark", "", part) : document.createTextNode(part));
    });
    return parent;
  }
  function excerpt(text, words) {
    var lower = text.toLowerCase(), at = -1;
    words.some(function (w) { at = lower.indexOf(w); return at >= 0; });
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.slice(start, start + 180) + (text.length > start + 180 ? "…" : "");
  }
  function search(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var results = [];
    entries.forEach(function (e) {
      var score = 0, target = e.u, all = true;
      words.forEach(function (w) {
        var hit = 0;
        if (e.t.toLowerCase().indexOf(w) >= 0) hit += 10;
        for (var i = 0; i < e.h.length; i++) {
          if (e.h[i][1].toLowerCase().indexOf(w) >= 0 || e.h[i][0].indexOf(w) >= 0) { hit += 4; if (target === e.u) target = e.u + "#" + encodeURIComponent(e.h[i][0]); break; }
        }
        if (e.b.toLowerCase().indexOf(w) >= 0) hit += 1;
        if (e.s.toLowerCase().indexOf(w) >= 0) hit += 1;
        if (!hit) all = false;
        score += hit;
      });
      if (all) results.push({ e: e, score: score, url: e.t.toLowerCase().indexOf(words[0]) >= 0 ? e.u : target });
    });
    results.sort(function (a, b) { return b.score - a.score || a.e.t.localeCompare(b.e.t); });
    return results.slice(0, 20);
  }
  function show(query) {
    withIndex(function () {
      var words = query.toLowerCase().split(/\s+/).filter(Boolean);
      var started = performance.now();
      var found = search(query);
      panel.setAttribute("data-query-ms", (performance.now() - started).toFixed(1));
      panel.replaceChildren();
      found.forEach(function (r) {
        var link = element("a", "al-search-result");
        link.setAttribute("role", "option");
        link.setAttribute("href", base + r.url);
        link.appendChild(appendMarked(element("span", "al-search-title"), r.e.t, words));
        if (r.e.s) link.appendChild(element("span", "al-search-section", r.e.s));
        link.appendChild(appendMarked(element("span", "al-search-excerpt"), excerpt(r.e.b, words), words));
        panel.appendChild(link);
      });
      if (!found.length) panel.appendChild(element("p", "al-search-empty", "No results for “" + query + "”"));
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
    });
  }
  if (input && panel) {
    var timer;
    input.addEventListener("focus", function () { withIndex(function () {}); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { panel.hidden = true; input.setAttribute("aria-expanded", "false"); return; }
      timer = setTimeout(function () { show(q); }, 60);
    });
    input.addEventListener("keydown", function (ev) {
      var links = panel.querySelectorAll("a");
      if (ev.key === "Escape") { panel.hidden = true; input.blur(); }
      if (ev.key === "ArrowDown" && links.length) { ev.preventDefault(); links[0].focus(); }
      if (ev.key === "Enter" && links.length) { window.location.href = links[0].href; }
    });
    panel.addEventListener("keydown", function (ev) {
      var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (ev.key === "ArrowDown" && i < links.length - 1) { ev.preventDefault(); links[i + 1].focus(); }
      if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      if (ev.key === "Escape") { panel.hidden = true; input.focus(); }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "/" && document.activeElement !== input && !/input|textarea/i.test(document.activeElement.tagName)) {
        ev.preventDefault();
        input.focus();
      }
    });
    document.addEventListener("click", function (ev) {
      if (!panel.contains(ev.target) && ev.target !== input) panel.hidden = true;
    });
    // Shareable searches: page.html?q=hotfix opens with the results.
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { input.value = q; show(q); }
  }

  window.almanacMermaid = function () {
    if (!window.mermaid) return;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: root.getAttribute("data-scheme") === "dark" ? "dark" : "default" });
    window.mermaid.run({ querySelector: "pre.mermaid" });
  };
})();
