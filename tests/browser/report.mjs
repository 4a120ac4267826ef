// The quarterly report, standalone and in the site: it prints on at most
// three pages (A4 and Letter), no date breaks across lines on any screen or
// on paper, the standalone file is self-contained and passes axe, and the
// site's report pages keep the site's frame.
//
// Arguments: the served site's base URL, then the standalone report file
// (`almanac report --quarter 2026-Q3 --out FILE`).
import { axe, assert, newPage, open, test, done, base, PHONE, DESKTOP } from "./lib.mjs";
import { mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const standalone = process.argv[3];
assert.ok(standalone, "usage: node report.mjs BASE_URL REPORT_FILE");
const fileUrl = pathToFileURL(standalone).href;
const shots = fileURLToPath(new URL("../../target/screenshots/", import.meta.url));
mkdirSync(shots, { recursive: true });

/// Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`).
const pdfPages = (pdf) => (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g) || []).length;

/// The dates in the report's text (2026-07-09, 2026-07-09 21:10) that are not
/// on one line: a range over each has one box per line it spans. Found in
/// the text, whatever the markup; also how many there are.
async function wrappedDates(page) {
  return page.evaluate(() => {
    const root = document.querySelector(".al-report") || document.body;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const wrapped = [];
    let count = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        count += 1;
        if (tops.size !== 1) wrapped.push(`${m[0]} on ${tops.size} lines`);
      }
    }
    return { count, wrapped };
  });
}

const where = [
  ["standalone", async (page) => page.goto(fileUrl, { waitUntil: "load" })],
  ["in-site", async (page) => open(page, "reports/2026-Q3.html")],
];

for (const [kind, go] of where) {
  await test(`${kind} report prints on at most 3 pages, A4 and Letter`, async () => {
    const page = await newPage(DESKTOP, "light");
    await go(page);
    // As the print dialog does by default (Chromium's `--print-to-pdf`
    // too): 0.4 in margins with the header and footer; and the page's own
    // @page margins. The report before the fix took 5 (A4) and 6 (Letter).
    const dialog = { margin: { top: "0.4in", bottom: "0.4in", left: "0.4in", right: "0.4in" }, displayHeaderFooter: true };
    for (const format of ["A4", "Letter"]) {
      for (const [how, options] of [["dialog margins", dialog], ["@page margins", { preferCSSPageSize: true }]]) {
        const n = pdfPages(await page.pdf({ format, printBackground: true, ...options }));
        assert.ok(n >= 1 && n <= 3, `${format}, ${how}: ${n} pages`);
      }
    }
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: `${shots}report-${kind}-print.png`, fullPage: true });
    await page.context().close();
  });

  for (const [label, viewport] of [["390", PHONE], ["1440", DESKTOP]]) {
    await test(`${kind} report at ${label} px: every date on one line`, async () => {
      const page = await newPage(viewport, "light");
      await go(page);
      const { count, wrapped } = await wrappedDates(page);
      assert.ok(count >= 8, `${count} dates`); // as of, 3 × planned and actual, an incident
      assert.deepEqual(wrapped, []);
      // Chart text as displayed: the inline SVGs' text boxes, at least 12 px
      // (a phone scrolls a chart sideways rather than shrink it).
      const smallest = await page.evaluate(() => {
        // Each text's font size in the SVG's units, times the SVG's scale.
        const sizes = [...document.querySelectorAll("figure svg")].flatMap((svg) => {
          const box = svg.viewBox.baseVal;
          const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
          return [...svg.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        });
        return sizes.length ? Math.min(...sizes) : null;
      });
      assert.ok(smallest !== null, "charts with text");
      assert.ok(smallest >= 12, `smallest chart text ${smallest.toFixed(1)} px`);
      await page.screenshot({ path: `${shots}report-${kind}-${label}.png`, fullPage: true });
      await page.context().close();
    });
  }

  await test(`${kind} report on paper: every date on one line`, async () => {
    const page = await newPage({ width: 794, height: 1123 }, "light");
    await go(page);
    await page.emulateMedia({ media: "print" });
    const { count, wrapped } = await wrappedDates(page);
    assert.ok(count >= 8, `${count} dates`);
    assert.deepEqual(wrapped, []);
    await page.context().close();
  });
}

for (const [label, viewport] of [["390", PHONE], ["1440", DESKTOP]]) {
  for (const scheme of ["light", "dark"]) {
    await test(`axe: standalone report at ${label} px, ${scheme}`, async () => {
      const page = await newPage(viewport, scheme);
      await page.goto(fileUrl, { waitUntil: "load" });
      const found = await axe(page);
      assert.deepEqual(found, [], found.join("\n  "));
      assert.deepEqual(page.errors, [], "console errors");
      await page.context().close();
    });
  }
}

await test("standalone report is self-contained: no request but the file itself", async () => {
  const page = await newPage(DESKTOP, "light");
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(fileUrl, { waitUntil: "load" });
  assert.deepEqual(requests, [fileUrl]);
  // Without `base_url` the handbook's links are left out, not left dead.
  const hrefs = await page.$$eval("a[href]", (a) => a.map((x) => x.getAttribute("href")));
  assert.deepEqual(hrefs.filter((h) => !/^[a-z]+:/.test(h)), [], "relative links");
  await page.context().close();
});

for (const path of ["reports/2026-Q3.html", "reports/index.html"]) {
  await test(`${path} keeps the site's frame: nav, search, theme toggle`, async () => {
    const page = await newPage(DESKTOP, "light");
    await open(page, path);
    assert.ok(await page.locator("nav.al-sidebar a").count() > 5, "sidebar links");
    await page.fill("#search-input", "hotfix");
    await page.waitForSelector("#search-results:not([hidden]) a");
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.click(".al-theme-button");
    assert.notEqual(await bg(), light, "the theme toggle switches the colours");
    assert.deepEqual(page.errors, [], "console errors");
    await page.context().close();
  });
}

await test("in-site report in dark mode follows the site's scheme", async () => {
  const page = await newPage(DESKTOP, "dark");
  await open(page, "reports/2026-Q3.html");
  const [r, g, b] = (await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `dark background: ${r},${g},${b}`);
  await page.screenshot({ path: `${shots}report-in-site-1440-dark.png`, fullPage: false });
  await page.context().close();
});

await done();
