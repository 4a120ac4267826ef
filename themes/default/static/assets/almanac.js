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

  window.almanacMermaid = function () {
    if (!window.mermaid) return;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: root.getAttribute("data-scheme") === "dark" ? "dark" : "default" });
    window.mermaid.run({ querySelector: "pre.mermaid" });
  };
})();
