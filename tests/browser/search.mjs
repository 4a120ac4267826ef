// Whole-site search on the bundled handbook (issue 20): every word of every
// page (generated pages included), results per section grouped by page,
// prefix and typo matching, a result count for screen readers, the term
// highlighted on the page landed on, a panel inside a phone's viewport, and
// the combobox keyboard flow. A second argument, the file:// URL of a built
// copy of the site, checks that the index loads from disk too.
import { mkdirSync } from "node:fs";
import { assert, newPage, open, test, done, axe, PHONE, DESKTOP } from "./lib.mjs";

const fileBase = process.argv[3];
mkdirSync("target/screenshots", { recursive: true });

/// Types `query` and waits for its results: the options' hrefs, the page
/// titles of the groups, and the status line.
async function search(page, query) {
  await page.fill("#search-input", "");
  await page.fill("#search-input", query);
  await page.waitForFunction(
    (q) => {
      const status = document.getElementById("search-status");
      const panel = document.getElementById("search-results");
      return status && status.textContent && panel.dataset.count !== undefined &&
        document.getElementById("search-input").value.trim() === q &&
        (panel.querySelector("a[role=option]") || /No results/.test(status.textContent));
    },
    query,
  );
  return page.evaluate(() => {
    const panel = document.getElementById("search-results");
    return {
      hrefs: [...panel.querySelectorAll("a[role=option]")].map((a) => a.getAttribute("href")),
      groups: [...panel.querySelectorAll("[role=group]")].map((g) =>
        document.getElementById(g.getAttribute("aria-labelledby")).querySelector(".al-search-title").textContent),
      status: document.getElementById("search-status").textContent,
      count: Number(panel.dataset.count),
      matches: [...panel.querySelectorAll("[role=group] > [role=option]:first-of-type")].map((a) => a.dataset.match),
    };
  });
}

const path = (href) => new URL(href, "http://x/release/").pathname.slice(1);

const desk = await newPage(DESKTOP, "light");
await open(desk, "release/team-release-guide.html");

await test("'yanked' (deep in the hotfix guide) finds its section", async () => {
  const r = await search(desk, "yanked");
  assert.ok(r.hrefs.some((h) => path(h) === "release/hotfix-guide.html" && h.endsWith("#rollback")), r.hrefs.join("\n"));
});

await test("'INC-2' finds the guides and the generated metrics dashboard", async () => {
  const r = await search(desk, "INC-2");
  for (const url of ["release/hotfix-guide.html", "operations/metrics.html", "metrics/index.html"]) {
    assert.ok(r.hrefs.some((h) => path(h) === url), `${url} in\n${r.hrefs.join("\n")}`);
  }
});

await test("a release version finds its release page", async () => {
  const r = await search(desk, "0.4.1");
  assert.ok(r.hrefs.some((h) => path(h) === "calendar/0.4.1.html"), r.hrefs.join("\n"));
});

await test("the last words of a long guide are found", async () => {
  // The team release guide ends "…which branches from the published tag."
  const r = await search(desk, "branches from the published tag");
  assert.ok(r.hrefs.some((h) => path(h) === "release/team-release-guide.html"), r.hrefs.join("\n"));
});

await test("'calender' (a typo) finds the calendar, exact and prefix hits first", async () => {
  const r = await search(desk, "calender");
  assert.ok(r.hrefs.some((h) => path(h) === "calendar/index.html"), r.hrefs.join("\n"));
  assert.ok(r.matches.every((m) => m === "fuzzy"), r.matches.join(" "));
  const y = await search(desk, "yank");
  // "yank"/"yanked" (exact, prefix) before "bank"/"rank" (one edit away).
  const order = { exact: 3, prefix: 2, fuzzy: 1 };
  const tiers = y.matches.map((m) => order[m]);
  assert.ok(tiers.length > 1 && tiers[0] >= 2, y.matches.join(" "));
  assert.deepEqual(tiers, [...tiers].sort((a, b) => b - a), y.matches.join(" "));
});

await test("'rollb' (a prefix) finds 'rollback', and a section link per hit, grouped by page", async () => {
  const r = await search(desk, "rollb");
  const hotfix = r.hrefs.filter((h) => path(h) === "release/hotfix-guide.html");
  assert.ok(hotfix.length >= 2, r.hrefs.join("\n"));
  assert.ok(hotfix.every((h) => /\?h=rollback(#|$)/.test(h)), hotfix.join("\n"));
  assert.ok(hotfix.some((h) => h.endsWith("#rollback")), hotfix.join("\n"));
  assert.ok(r.groups.includes("Hotfix guide"), r.groups.join(" | "));
  assert.equal(new Set(r.groups).size, r.groups.length, "one group per page");
});

await test("the result count is announced in a live region", async () => {
  const r = await search(desk, "hotfix");
  assert.match(r.status, /^\d+ results?$/);
  assert.equal(Number(r.status.split(" ")[0]), r.count);
  assert.ok(r.count >= r.hrefs.length && r.count > 5, `${r.count} vs ${r.hrefs.length}`);
  const live = await desk.evaluate(() => {
    const s = document.getElementById("search-status");
    return [s.getAttribute("role"), s.getAttribute("aria-live")];
  });
  assert.deepEqual(live, ["status", "polite"]);
  const none = await search(desk, "xylophonequartz");
  assert.equal(none.hrefs.length, 0);
  assert.match(none.status, /No results/);
  assert.match(await desk.textContent("#search-results"), /No results for “xylophonequartz”/);
  const found = (await axe(desk, ".al-search-results"));
  assert.deepEqual(found, [], found.join("\n"));
});

await test("keyboard: arrows move the active option, Escape closes, Enter opens it", async () => {
  await search(desk, "rollback");
  const state = () => desk.evaluate(() => {
    const input = document.getElementById("search-input");
    const id = input.getAttribute("aria-activedescendant");
    const selected = [...document.querySelectorAll("#search-results [aria-selected=true]")].map((o) => o.id);
    return { id, selected, expanded: input.getAttribute("aria-expanded"), focus: document.activeElement.id,
      ids: [...document.querySelectorAll("#search-results [role=option]")].map((o) => o.id) };
  });
  await desk.keyboard.press("ArrowDown");
  let s = await state();
  assert.equal(s.expanded, "true");
  assert.equal(s.id, s.ids[0]);
  assert.deepEqual(s.selected, [s.ids[0]]);
  assert.equal(s.focus, "search-input", "focus stays in the combobox");
  await desk.keyboard.press("ArrowDown");
  s = await state();
  assert.equal(s.id, s.ids[1]);
  await desk.keyboard.press("ArrowUp");
  await desk.keyboard.press("ArrowUp");
  s = await state();
  assert.equal(s.id, s.ids[s.ids.length - 1], "ArrowUp from the first wraps to the last");
  await desk.keyboard.press("Escape");
  s = await state();
  assert.equal(s.expanded, "false");
  assert.equal(await desk.isHidden("#search-results"), true);
  await desk.keyboard.press("ArrowDown");
  await desk.keyboard.press("ArrowDown");
  s = await state();
  assert.equal(s.expanded, "true", "ArrowDown opens the results again");
  const href = await desk.evaluate((id) => document.getElementById(id).href, s.id);
  await Promise.all([desk.waitForURL(href), desk.keyboard.press("Enter")]);
});

await test("the search term is highlighted on the page landed on, the first hit in view", async () => {
  await open(desk, "index.html");
  const r = await search(desk, "yanked");
  const href = r.hrefs.find((h) => h.endsWith("#rollback"));
  await Promise.all([desk.waitForURL(/hotfix-guide\.html\?h=yanked#rollback$/), desk.click(`#search-results a[href="${href}"]`)]);
  await desk.waitForSelector(".al-content mark.al-search-hit");
  const marks = await desk.evaluate(() => {
    const all = [...document.querySelectorAll(".al-content mark.al-search-hit")];
    const section = document.getElementById("rollback");
    const first = all.find((m) => section.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING);
    const box = first.getBoundingClientRect();
    return { words: all.map((m) => m.textContent.toLowerCase()), top: box.top, bottom: box.bottom, height: innerHeight };
  });
  assert.ok(marks.words.length >= 2 && marks.words.every((w) => w === "yanked"), marks.words.join(" "));
  assert.ok(marks.top >= 0 && marks.bottom <= marks.height, `first hit at ${marks.top}..${marks.bottom} of ${marks.height}`);
  await desk.screenshot({ path: "target/screenshots/search-landing-1440.png" }).catch(() => {});
});

for (const scheme of ["light", "dark"]) {
  await test(`phone (390 px, ${scheme}): the results panel fits the viewport`, async () => {
    const phone = await newPage(PHONE, scheme);
    await open(phone, "release/hotfix-guide.html");
    await search(phone, "release");
    const fit = await phone.evaluate(() => {
      const box = document.getElementById("search-results").getBoundingClientRect();
      return { scroll: document.scrollingElement.scrollWidth, width: innerWidth, height: innerHeight,
        left: box.left, right: box.right, top: box.top, bottom: box.bottom };
    });
    assert.ok(fit.scroll <= fit.width, `page scrolls sideways: ${fit.scroll} > ${fit.width}`);
    assert.ok(fit.left >= 0 && fit.right <= fit.width && fit.top >= 0 && fit.bottom <= fit.height, JSON.stringify(fit));
    await phone.screenshot({ path: `target/screenshots/search-390-${scheme}.png` }).catch(() => {});
    // The search's own markup passes axe (the combobox input is the theme's).
    const found = (await axe(phone, ".al-search-results")).filter((v) => !v.startsWith("aria-allowed-attr"));
    assert.deepEqual(found, [], found.join("\n"));
    assert.deepEqual(phone.errors, [], "console errors");
    await phone.context().close();
  });
}

await test("results are text, never markup", async () => {
  const r = await desk.evaluate(() =>
    [...document.querySelectorAll("#search-results *")].every((n) => ["A", "DIV", "SPAN", "MARK"].includes(n.tagName)));
  assert.ok(r);
});

if (fileBase) {
  await test("the index loads from file:// too", async () => {
    const page = await newPage(DESKTOP, "light");
    await page.goto(new URL("release/index.html", fileBase).href, { waitUntil: "load" });
    const r = await search(page, "yanked");
    const urls = r.hrefs.map((h) => new URL(h, page.url()).href);
    const target = new URL("release/hotfix-guide.html?h=yanked#rollback", fileBase).href;
    assert.ok(urls.includes(target), urls.join("\n"));
    await Promise.all([page.waitForURL(target), page.click(`#search-results a[href="${r.hrefs[urls.indexOf(target)]}"]`)]);
    await page.waitForSelector(".al-content mark.al-search-hit");
    assert.deepEqual(page.errors, [], "console errors");
    await page.context().close();
  });
}

// A site of more than 1,000 pages (its index sharded), built by the test:
// only the shards a query needs are fetched.
const shardedBase = process.argv[4];
if (shardedBase) {
  await test("a sharded index fetches only what a query needs", async () => {
    const page = await newPage(DESKTOP, "light");
    await page.goto(new URL("part1/p0777.html", shardedBase).href, { waitUntil: "load" });
    const r = await search(page, "w777x29");
    const urls = r.hrefs.map((h) => new URL(h, page.url()).href);
    // The exact hit first, then words one edit away ("w770x29"); a site
    // this large has one entry a page, so the hit opens the page.
    assert.equal(urls[0], new URL("part1/p0777.html?h=w777x29", shardedBase).href);
    assert.deepEqual(r.matches.slice(0, 2), ["exact", "fuzzy"]);
    const title = await page.textContent("#search-results .al-search-page .al-search-title");
    assert.equal(title, "Page 777");
    const loaded = await page.evaluate(() =>
      [...document.querySelectorAll("script[src*='search-index']")].map((s) => s.getAttribute("src").replace(/^.*search-index/, "")));
    // The index, the one shard of terms starting "w7", and the chunks of
    // entries the results shown are in.
    assert.ok(loaded.includes(".js"), loaded.join(" "));
    assert.deepEqual(loaded.filter((f) => f !== ".js" && !f.startsWith("/entries-")), ["/w7.js"]);
    const chunks = loaded.filter((f) => f.startsWith("/entries-")).length;
    const shown = await page.evaluate(() => document.querySelectorAll("#search-results a[role=option]").length);
    assert.ok(chunks >= 1 && chunks <= shown, `${chunks} chunks for ${shown} results`);
    // Prefix and typo matching inside the shard.
    const prefix = await search(page, "w777x2");
    assert.ok(prefix.count >= 10, `${prefix.count}`);
    const typo = await search(page, "w777y29");
    assert.ok(typo.hrefs.some((h) => h.includes("p0777.html")), typo.hrefs.join("\n"));
    assert.deepEqual(page.errors, [], "console errors");
    await page.context().close();
  });
}

assert.deepEqual(desk.errors, [], "console errors");
await done();
