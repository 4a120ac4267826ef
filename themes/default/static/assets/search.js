// almanac default theme: whole-site search. The index (search-index.js, and
// on large sites its shards search-index/<c>.js) is a script, loaded on first
// use, so search works from file:// too. Every word of every page is in it,
// per section; a query matches whole words, prefixes ("rollb") and, for words
// of 4+ letters, words one edit away (two for 8+). Results are built from
// DOM nodes, never from markup: titles and headings come from the site's
// files, which a pull request may have named.
(function () {
  var root = document.documentElement;
  var base = root.getAttribute("data-root") || "";
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-results");
  var SPLIT = /[^\p{Alphabetic}\p{N}]+/u;
  var MAX_PAGES = 12, MAX_PER_PAGE = 4, MAX_PREFIX = 60;

  // A text's words as the index holds them: runs of letters and digits, lower case.
  function words(text) {
    return text.split(SPLIT).filter(function (w) { return w && Array.from(w).length <= 40; })
      .map(function (w) { return w.toLowerCase(); });
  }
  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  // Whole words starting with one of `terms`, for <mark>.
  function markPattern(terms) {
    if (!terms.length) return null;
    return new RegExp("(?<![\\p{Alphabetic}\\p{N}])(?:" + terms.map(escapeRegExp).join("|") + ")[\\p{Alphabetic}\\p{N}]*", "giu");
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // `text` into `parent`, the matches of `pattern` in <mark>s.
  function appendMarked(parent, text, pattern) {
    var at = 0;
    if (pattern) {
      pattern.lastIndex = 0;
      var m;
      while ((m = pattern.exec(text))) {
        if (!m[0]) { pattern.lastIndex++; continue; }
        if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
        parent.appendChild(element("mark", "", m[0]));
        at = m.index + m[0].length;
      }
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
    return parent;
  }

  // Highlight on landing: page.html?h=rollback marks the words in the page
  // and scrolls to the first one (in the linked section, if any).
  function highlightLanding() {
    var h = new URLSearchParams(window.location.search).get("h");
    var content = document.querySelector(".al-content");
    if (!h || !content) return;
    var pattern = markPattern(words(h));
    if (!pattern) return;
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("pre, script, style, svg, mark, .al-anchor, .al-copy-button")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var marks = [];
    nodes.forEach(function (node) {
      pattern.lastIndex = 0;
      if (!pattern.test(node.nodeValue)) return;
      var fragment = appendMarked(document.createDocumentFragment(), node.nodeValue, pattern);
      fragment.querySelectorAll("mark").forEach(function (m) { m.className = "al-search-hit"; marks.push(m); });
      node.parentNode.replaceChild(fragment, node);
    });
    if (!marks.length) return;
    var target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    var first = marks[0];
    if (target) {
      first = marks.find(function (m) { return target.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING; }) || target;
    }
    first.scrollIntoView({ block: "center" });
  }
  highlightLanding();

  if (!input || !panel) return;

  // The index: pages [title, section, url], entries [page, id, heading,
  // excerpt], terms [term, [entry delta, weight, …]]. On a large site the
  // terms are in shards (by their first one or two characters) and the
  // entries in chunks (with each page's count of entries), fetched as needed.
  var index = null, waiting = [];
  function withIndex(then) {
    if (index) return then();
    waiting.push(then);
    if (waiting.length > 1) return;
    window.almanacSearch = function (data) {
      index = { pages: data.p, entries: data.e || null, shards: data.s ? new Set(data.s) : null, loaded: {},
        chunkSize: data.c || 1, chunks: {}, starts: [], terms: new Map(), keys: [] };
      var at = 0;
      (data.n || []).forEach(function (n) { index.starts.push(at); at += n; });
      if (data.t) addTerms(data.t);
      var run = waiting;
      waiting = [];
      run.forEach(function (f) { f(); });
    };
    load("search-index.js", function () {});
  }
  function load(path, then) {
    var s = document.createElement("script");
    s.src = base + path;
    s.onload = then;
    s.onerror = then;
    document.head.appendChild(s);
  }
  function addTerms(list) {
    list.forEach(function (row) { index.terms.set(row[0], row[1]); });
    index.keys = Array.from(index.terms.keys()).sort();
  }
  // A term's shard: its first character, or its first two when that shard
  // was split (each an ASCII letter or digit, else "_"), as the build named them.
  function keyChar(c) { return c && /^[a-z0-9]$/.test(c) ? c : "_"; }
  function shardOf(word) {
    var chars = Array.from(word), one = keyChar(chars[0]);
    return index.shards.has(one) ? one : one + keyChar(chars[1]);
  }
  // Loads the files of `paths` not loaded yet, then `then`.
  function loadAll(paths, then) {
    var needed = paths.filter(function (path, i) { return !index.loaded[path] && paths.indexOf(path) === i; });
    if (!needed.length) return then();
    var left = needed.length;
    needed.forEach(function (path) {
      index.loaded[path] = true;
      load(path, function () { if (--left === 0) then(); });
    });
  }
  // On a sharded site, the shards of the query's words, then `then`.
  function withShards(ws, then) {
    if (!index.shards) return then();
    loadAll(ws.map(shardOf).filter(function (key) { return index.shards.has(key); })
      .map(function (key) { return "search-index/" + key + ".js"; }), then);
  }
  window.almanacSearchShard = function (list) { if (index) addTerms(list); };
  window.almanacSearchEntries = function (k, rows) { if (index) index.chunks[k] = rows; };
  // The page of entry `e`, and the entry as [page, id, heading, excerpt].
  function pageOf(e) {
    if (index.entries) return index.entries[e][0];
    var lo = 0, hi = index.starts.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (index.starts[mid] <= e) lo = mid; else hi = mid - 1; }
    return lo;
  }
  function entry(e) {
    if (index.entries) return index.entries[e];
    var rows = index.chunks[Math.floor(e / index.chunkSize)];
    var row = rows && rows[e % index.chunkSize];
    return row ? [pageOf(e)].concat(row) : [pageOf(e), "", "", ""];
  }
  // The results shown, each group's first hits.
  function shownHits(found) {
    var hits = [];
    found.groups.slice(0, MAX_PAGES).forEach(function (g) { hits = hits.concat(g.hits.slice(0, MAX_PER_PAGE)); });
    return hits;
  }
  // On a sharded site, the chunks of the entries shown, then `then`.
  function withEntries(found, then) {
    if (index.entries) return then();
    loadAll(shownHits(found).map(function (hit) { return "search-index/entries-" + Math.floor(hit.entry / index.chunkSize) + ".js"; }), then);
  }

  // Levenshtein distance of a and b, or max + 1 once it is over max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (cur[j] < low) low = cur[j];
      }
      if (low > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }
  // The terms a query word matches: exact (tier 3), prefix (2), fuzzy (1).
  function candidates(w) {
    var found = new Map(), keys = index.keys;
    if (index.terms.has(w)) found.set(w, 3);
    var lo = 0, hi = keys.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] < w) lo = mid + 1; else hi = mid; }
    for (var i = lo, n = 0; i < keys.length && keys[i].startsWith(w) && n < MAX_PREFIX; i++, n++) {
      if (!found.has(keys[i])) found.set(keys[i], 2);
    }
    var length = Array.from(w).length;
    var max = length >= 8 ? 2 : length >= 4 ? 1 : 0;
    if (max) {
      keys.forEach(function (k) {
        if (!found.has(k) && Math.abs(k.length - w.length) <= max && distance(w, k, max) <= max) found.set(k, 1);
      });
    }
    return found;
  }
  // Entries holding every word of the query, by page, best first.
  function search(query) {
    var ws = words(query);
    if (!ws.length) return { groups: [], count: 0, terms: [] };
    var matched = null;
    ws.forEach(function (w) {
      var hits = new Map();
      candidates(w).forEach(function (tier, term) {
        var postings = index.terms.get(term), e = 0;
        // Each entry as the difference d from the one before: `d` (weight
        // 1) or `-(d + 1), weight`.
        for (var i = 0; i < postings.length; i++) {
          var v = postings[i], weight = 1;
          if (v < 0) { v = -v - 1; weight = postings[++i]; }
          e += v;
          var score = tier * 1000 + Math.min(weight, 999);
          var best = hits.get(e);
          if (!best || score > best.score) hits.set(e, { score: score, term: term, tier: tier });
        }
      });
      if (matched === null) {
        matched = new Map();
        hits.forEach(function (hit, e) { matched.set(e, { score: hit.score, terms: [hit.term], tier: hit.tier }); });
      } else {
        var next = new Map();
        matched.forEach(function (m, e) {
          var hit = hits.get(e);
          if (hit) next.set(e, { score: m.score + hit.score, terms: m.terms.concat(hit.term), tier: Math.min(m.tier, hit.tier) });
        });
        matched = next;
      }
    });
    var pages = new Map();
    matched.forEach(function (m, e) {
      var p = pageOf(e);
      var group = pages.get(p);
      if (!group) pages.set(p, group = { page: p, best: 0, hits: [] });
      group.hits.push({ entry: e, score: m.score, terms: m.terms, tier: m.tier });
      if (m.score > group.best) group.best = m.score;
    });
    var groups = Array.from(pages.values());
    groups.forEach(function (g) { g.hits.sort(function (a, b) { return b.score - a.score || a.entry - b.entry; }); });
    groups.sort(function (a, b) { return b.best - a.best || a.page - b.page; });
    var terms = [];
    matched.forEach(function (m) { m.terms.forEach(function (t) { if (terms.indexOf(t) < 0) terms.push(t); }); });
    return { groups: groups, count: matched.size, terms: terms };
  }

  var status = element("div", "al-visually-hidden");
  status.id = "search-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  panel.parentNode.insertBefore(status, panel.nextSibling);
  var stylesheet = element("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = base + "assets/search.css";
  document.head.appendChild(stylesheet);

  var active = -1, shown = "";
  function options() { return Array.prototype.slice.call(panel.querySelectorAll("a[role=option]")); }
  function setActive(i) {
    var all = options();
    all.forEach(function (o) { o.setAttribute("aria-selected", "false"); });
    active = all.length ? Math.max(-1, Math.min(i, all.length - 1)) : -1;
    if (active < 0) { input.removeAttribute("aria-activedescendant"); return; }
    all[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }
  function open() {
    if (!panel.childNodes.length) return;
    // Under the search box, inside the viewport (on a phone the panel spans it).
    panel.style.setProperty("--al-search-top", Math.round(input.getBoundingClientRect().bottom + 6) + "px");
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }
  function show(query) {
    withIndex(function () {
      withShards(words(query), function () {
        if (input.value.trim() !== query) return;
        var started = performance.now();
        var found = search(query);
        panel.setAttribute("data-query-ms", (performance.now() - started).toFixed(1));
        withEntries(found, function () {
          if (input.value.trim() === query) render(query, found);
        });
      });
    });
  }
  function render(query, found) {
    shown = query;
    panel.replaceChildren();
    active = -1;
    input.removeAttribute("aria-activedescendant");
    var pattern = markPattern(found.terms.concat(words(query)));
    var n = 0;
    found.groups.slice(0, MAX_PAGES).forEach(function (g, gi) {
      var page = index.pages[g.page];
      var group = element("div", "al-search-group");
      group.setAttribute("role", "group");
      var label = element("div", "al-search-page");
      label.id = "search-group-" + gi;
      label.appendChild(appendMarked(element("span", "al-search-title"), page[0], pattern));
      if (page[1]) label.appendChild(element("span", "al-search-section", page[1]));
      group.setAttribute("aria-labelledby", label.id);
      group.appendChild(label);
      g.hits.slice(0, MAX_PER_PAGE).forEach(function (hit) {
        var e = entry(hit.entry);
        var link = element("a", "al-search-result");
        link.id = "search-option-" + n++;
        link.setAttribute("role", "option");
        link.setAttribute("aria-selected", "false");
        link.setAttribute("tabindex", "-1");
        // The weakest of its words' matches: exact, prefix or fuzzy.
        link.dataset.match = ["", "fuzzy", "prefix", "exact"][hit.tier];
        link.setAttribute("href", base + page[2] + "?h=" + encodeURIComponent(hit.terms.join(" ")) +
          (e[1] ? "#" + encodeURIComponent(e[1]) : ""));
        link.appendChild(appendMarked(element("span", "al-search-heading"), e[2] || page[0], pattern));
        if (e[3]) link.appendChild(appendMarked(element("span", "al-search-excerpt"), e[3], pattern));
        group.appendChild(link);
      });
      panel.appendChild(group);
    });
    var count = found.count;
    status.textContent = count ? count + (count === 1 ? " result" : " results") : "No results for “" + query + "”";
    panel.setAttribute("data-count", String(count));
    if (!count) {
      // A listbox holds options: the message is one that cannot be chosen.
      var empty = element("div", "al-search-empty", "No results for “" + query + "”");
      empty.setAttribute("role", "option");
      empty.setAttribute("aria-disabled", "true");
      empty.setAttribute("aria-selected", "false");
      panel.appendChild(empty);
    }
    open();
  }

  var timer;
  input.addEventListener("focus", function () {
    withIndex(function () {});
    if (input.value.trim() && input.value.trim() === shown) open();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { close(); panel.replaceChildren(); shown = ""; status.textContent = ""; return; }
    timer = setTimeout(function () { show(q); }, 60);
  });
  input.addEventListener("keydown", function (ev) {
    var all = options();
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (panel.hidden) { open(); if (panel.hidden) return; }
      if (!all.length) return;
      if (ev.key === "ArrowDown") setActive(active < all.length - 1 ? active + 1 : 0);
      else setActive(active > 0 ? active - 1 : all.length - 1);
    } else if (ev.key === "Enter") {
      if (!panel.hidden && all.length) {
        ev.preventDefault();
        window.location.href = all[Math.max(active, 0)].href;
      }
    } else if (ev.key === "Escape") {
      if (!panel.hidden) { ev.preventDefault(); close(); } else if (input.value) { input.value = ""; shown = ""; panel.replaceChildren(); }
    } else if (ev.key === "Tab") {
      close();
    }
  });
  panel.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
  document.addEventListener("keydown", function (ev) {
    var tag = document.activeElement ? document.activeElement.tagName : "";
    if (ev.key === "/" && document.activeElement !== input && !/input|textarea|select/i.test(tag) &&
      !(document.activeElement && document.activeElement.isContentEditable)) {
      ev.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (ev) {
    if (!panel.hidden && !panel.contains(ev.target) && ev.target !== input) close();
  });
  // Shareable searches: page.html?q=hotfix opens with the results.
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; show(q.trim()); }
})();
