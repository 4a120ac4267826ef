// almanac default theme: dark-mode toggle, section links, copy buttons, Mermaid
// (search is in search.js).
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
    redrawMermaid();
  });
  if (prefersDark && prefersDark.addEventListener) prefersDark.addEventListener("change", function () { redrawMermaid(); });

  // An older release's page is shared by every older release that has it
  // the same, so it names none: the version menu's link to this very page
  // says which release this is.
  var versions = document.querySelector(".al-versions");
  if (versions && !versions.querySelector("[aria-current]")) {
    var here = function (href) { return href.split("#")[0].split("?")[0].replace(/index\.html$/, ""); };
    var links = versions.querySelectorAll("a[data-version]");
    for (var i = 0; i < links.length; i++) {
      if (here(links[i].href) !== here(location.href)) continue;
      links[i].setAttribute("aria-current", "true");
      var names = document.querySelectorAll(".al-version-name");
      for (var j = 0; j < names.length; j++) names[j].textContent = links[i].getAttribute("data-version");
      break;
    }
  }

  // The phone menu (below 800 px, or a desktop zoomed in): a real button
  // opens the sidebar over the page; the page behind neither scrolls nor
  // takes focus, and Escape closes it. Without the script the checkbox and
  // its label do the same.
  var navButton = document.querySelector(".al-nav-button");
  var navBox = document.getElementById("nav-toggle");
  var sidebar = document.getElementById("al-sidebar");
  var behind = document.querySelectorAll(".al-main, .al-toc, .al-footer");
  var narrow = window.matchMedia && window.matchMedia("(max-width: 50rem)");
  function menuOpen() { return root.classList.contains("al-nav-open"); }
  function setMenu(open, giveFocusBack) {
    if (!navButton || !sidebar) return;
    root.classList.toggle("al-nav-open", open);
    if (navBox) navBox.checked = open;
    navButton.setAttribute("aria-expanded", open ? "true" : "false");
    behind.forEach(function (el) { if (open) el.setAttribute("inert", ""); else el.removeAttribute("inert"); });
    if (open) showCurrent();
    else if (giveFocusBack) navButton.focus();
  }
  if (navButton && sidebar) {
    navButton.addEventListener("click", function () { setMenu(!menuOpen(), false); });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && menuOpen()) { ev.preventDefault(); setMenu(false, true); }
    });
    // A link to a heading of this page leaves the menu for the page.
    sidebar.addEventListener("click", function (ev) {
      var link = ev.target.closest && ev.target.closest("a");
      if (link && menuOpen()) setMenu(false, false);
    });
    if (narrow && narrow.addEventListener) narrow.addEventListener("change", function () {
      if (!narrow.matches && menuOpen()) setMenu(false, false);
    });
  }

  // The current page's entry, scrolled into the middle of the sidebar (long
  // navigations), without moving the page.
  function showCurrent() {
    if (!sidebar) return;
    var current = sidebar.querySelector('[aria-current="page"]');
    if (!current) return;
    var box = sidebar.getBoundingClientRect(), at = current.getBoundingClientRect();
    if (!box.height) return;
    if (at.top < box.top || at.bottom > box.bottom) {
      sidebar.scrollTop += at.top - box.top - (box.height - at.height) / 2;
    }
  }

  // "On this page": the current page's headings also under its entry in the
  // phone menu, and the section being read marked in every list of them.
  var tocList = document.querySelector(".al-toc ul");
  var currentEntry = sidebar && sidebar.querySelector('[aria-current="page"]');
  if (tocList && currentEntry && currentEntry.parentNode) {
    var navToc = tocList.cloneNode(true);
    navToc.className = "al-nav-toc";
    navToc.setAttribute("aria-label", "On this page");
    currentEntry.parentNode.insertBefore(navToc, currentEntry.nextSibling);
  }
  // Between 800 and 1200 px, where the column is hidden, the same list
  // folds open above the article (made here: the page carries it once).
  var article = document.querySelector(".al-content");
  if (tocList && article) {
    var inline = document.createElement("details");
    inline.className = "al-toc-inline";
    var summary = document.createElement("summary");
    summary.textContent = "On this page";
    inline.appendChild(summary);
    inline.appendChild(tocList.cloneNode(true));
    article.parentNode.insertBefore(inline, article);
  }
  showCurrent();
  var tocLinks = Array.prototype.slice.call(document.querySelectorAll(".al-toc a, .al-toc-inline a, .al-nav-toc a"));
  var headings = [];
  tocLinks.forEach(function (a) {
    var id = decodeURIComponent(a.getAttribute("href").slice(1));
    var h = document.getElementById(id);
    if (h && headings.indexOf(h) < 0) headings.push(h);
  });
  function markSection() {
    var line = (parseFloat(getComputedStyle(root).scrollPaddingTop) || 64) + 8, current = null;
    var bottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    for (var i = 0; i < headings.length; i++) {
      var top = headings[i].getBoundingClientRect().top;
      if (top <= line || (bottom && top < window.innerHeight)) current = headings[i];
    }
    // Above the first heading, the list starts with it.
    if (!current) current = headings[0];
    var href = current ? "#" + current.id : null;
    tocLinks.forEach(function (a) {
      var on = href !== null && decodeURIComponent(a.getAttribute("href")) === href;
      a.classList.toggle("al-toc-active", on);
      if (on) a.setAttribute("aria-current", "location"); else a.removeAttribute("aria-current");
      // A long list in the column follows the mark (the column scrolls,
      // never the page).
      if (on && aside && aside.contains(a)) {
        var box = aside.getBoundingClientRect(), at = a.getBoundingClientRect();
        if (box.height && (at.top < box.top || at.bottom > box.bottom)) {
          aside.scrollTop += at.top - box.top - (box.height - at.height) / 2;
        }
      }
    });
  }
  var aside = document.querySelector(".al-toc");
  if (headings.length && "IntersectionObserver" in window) {
    // Any heading crossing the line below the header (or the upper part of
    // the screen), or the page's end coming into view, moves the mark.
    var below = Math.round((parseFloat(getComputedStyle(root).scrollPaddingTop) || 64) + 8);
    var watcher = new IntersectionObserver(markSection, { rootMargin: "-" + below + "px 0px -55% 0px", threshold: [0, 1] });
    headings.forEach(function (h) { watcher.observe(h); });
    var end = document.querySelector(".al-footer");
    if (end) new IntersectionObserver(markSection).observe(end);
    markSection();
  }

  // A chart too wide for the screen scrolls in its figure; it opens on its
  // newest values, at the right (images are sized by their width and
  // height attributes, or once loaded).
  function newestInView() {
    document.querySelectorAll("figure.al-chart").forEach(function (figure) {
      if (figure.scrollWidth > figure.clientWidth) figure.scrollLeft = figure.scrollWidth;
    });
  }
  newestInView();
  window.addEventListener("load", newestInView);

  // Wide tables scroll sideways in a frame a keyboard can reach and a screen
  // reader can name.
  var tables = [];
  document.querySelectorAll(".al-content table:not(.al-month)").forEach(function (table) {
    if (table.parentNode.classList.contains("al-table-wrap")) return;
    var wrap = document.createElement("div");
    wrap.className = "al-table-wrap";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
    tables.push(wrap);
  });
  function frameTables() {
    tables.forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("aria-label", (caption ? caption.textContent.trim() + ": " : "") + "table, scrolls sideways");
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (a) { wrap.removeAttribute(a); });
      }
    });
  }
  frameTables();
  window.addEventListener("resize", frameTables);

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

  // Diagrams are drawn in the page's scheme; their source is kept (on the
  // element, out of the markup) so a change of scheme draws them again.
  window.almanacMermaid = function () {
    if (!window.mermaid) return;
    document.querySelectorAll("pre.mermaid").forEach(function (pre) {
      if (pre.almanacSource === undefined) pre.almanacSource = pre.textContent;
    });
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: root.getAttribute("data-scheme") === "dark" ? "dark" : "default" });
    return window.mermaid.run({ querySelector: "pre.mermaid" });
  };
  function redrawMermaid() {
    if (!window.mermaid) return;
    scheme();
    document.querySelectorAll("pre.mermaid").forEach(function (pre) {
      if (pre.almanacSource === undefined) return;
      pre.removeAttribute("data-processed");
      pre.textContent = pre.almanacSource;
    });
    window.almanacMermaid();
  }
})();
