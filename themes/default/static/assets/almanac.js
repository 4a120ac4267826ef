// almanac default theme: dark-mode toggle, remembered per browser. The site works without it.
(function () {
  var root = document.documentElement;
  var button = document.querySelector(".theme-button");
  if (!button) return;
  button.addEventListener("click", function () {
    var dark = root.dataset.theme ? root.dataset.theme === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    root.dataset.theme = dark ? "light" : "dark";
    try { localStorage.setItem("almanac-theme", root.dataset.theme); } catch (e) { /* file:// in some browsers */ }
  });
})();
