// The calendar and its charts as displayed (issue 20): month-grid chips
// show whole versions, chart text is at least 12 px at the size the page
// shows the chart (390 and 1440 px), the timeline has a today line, and
// the attention block comes first.
import { assert, newPage, open, test, done, PHONE, DESKTOP } from "./lib.mjs";

/// Each chart image on the page: its displayed width, and from its SVG the
/// drawn width and every font size.
async function charts(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const img of document.querySelectorAll("figure.al-chart img")) {
      const svg = await (await fetch(img.src)).text();
      const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)[1]);
      const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
      out.push({ src: img.getAttribute("src"), shown: img.getBoundingClientRect().width, width, sizes, svg });
    }
    return out;
  });
}

for (const [label, viewport] of [["390", PHONE], ["1440", DESKTOP]]) {
  const page = await newPage(viewport, "light");
  for (const path of ["calendar/index.html", "metrics/index.html"]) {
    await test(`chart text is at least 12 px as displayed: ${path} at ${label} px`, async () => {
      await open(page, path);
      const found = await charts(page);
      assert.ok(found.length > 0, "no chart");
      for (const c of found) {
        assert.ok(c.sizes.length > 0, `${c.src}: no text`);
        const smallest = (Math.min(...c.sizes) * c.shown) / c.width;
        assert.ok(smallest >= 12, `${c.src}: ${smallest.toFixed(1)} px (shown ${c.shown} of ${c.width})`);
      }
      // A chart wider than the phone scrolls in its figure, not the page,
      // and opens on its newest values (its right end).
      const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      const scrolled = await page.evaluate(() =>
        [...document.querySelectorAll("figure.al-chart")]
          .filter((f) => f.scrollWidth > f.clientWidth)
          .map((f) => f.scrollWidth - f.clientWidth - f.scrollLeft));
      if (label === "390") assert.ok(scrolled.length > 0, "charts scroll on a phone");
      assert.ok(scrolled.every((left) => left <= 1), `px left of each chart's end: ${scrolled}`);
    });
  }
  await page.context().close();
}

const desktop = await newPage(DESKTOP, "light");
await test("month-grid chips are not cut at 1440 px", async () => {
  await open(desktop, "calendar/index.html");
  const chips = await desktop.$$eval("a.al-event", (as) =>
    as.map((a) => ({ text: a.textContent, label: a.getAttribute("aria-label"), sw: a.scrollWidth, cw: a.clientWidth })),
  );
  assert.ok(chips.length > 5, `${chips.length} chips`);
  for (const c of chips) {
    assert.ok(c.sw <= c.cw, `${c.label}: ${c.sw} > ${c.cw}`);
    assert.ok(/^\d+\.\d+\.\d+/.test(c.text), `chip shows ${c.text}`);
  }
  await desktop.screenshot({ path: "target/screenshots/calendar-1440.png", fullPage: false }).catch(() => {});
});

await test("the timeline has a today line and the attention block comes first", async () => {
  await open(desktop, "calendar/index.html");
  const [timeline] = (await charts(desktop)).filter((c) => c.src.endsWith("timeline.svg"));
  assert.match(timeline.svg, />\s*today [A-Z][a-z]{2} \d+\s*</, "today label");
  const order = await desktop.evaluate(() =>
    [...document.querySelectorAll("main h2")].map((h) => h.id),
  );
  assert.equal(order[0], "attention", order.join(", "));
  const overdue = await desktop.textContent(".al-overdue");
  assert.match(overdue, /1\.0\.0 Stable: \d+ days overdue/);
});
await desktop.context().close();
await done();
