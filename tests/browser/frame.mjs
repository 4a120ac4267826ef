// The site's frame on every screen, against the 57-page fixture of
// tests/ux.rs (`long.html`: eight sections with headings, a shell block, a
// wide table and a Mermaid diagram; `area-N/page-MM.html`: five sections of
// ten pages): the phone menu by touch and by keyboard, "On this page", the
// current page's entry in a long nav, copy buttons on touch screens,
// Mermaid redrawn on a change of scheme, and the 404 page at a nested path.
import { axe, assert, newPage, open, test, done, PHONE, TABLET, DESKTOP } from "./lib.mjs";

const PAGES = 57;

// Where the menu's links are and what is on top of each, after scrolling
// the panel to bring it into view.
async function menuState(page) {
  return page.evaluate(() => {
    const panel = document.getElementById("al-sidebar");
    const header = document.querySelector(".al-topbar").getBoundingClientRect();
    const box = panel.getBoundingClientRect();
    const links = [...panel.querySelectorAll(".al-nav > li a, .al-nav ul a")].filter((a) => !a.closest(".al-nav-toc"));
    const unreachable = [];
    for (const a of links) {
      a.scrollIntoView({ block: "nearest" });
      const r = a.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
      if (!(hit && (hit === a || a.contains(hit))) || r.bottom > innerHeight + 1 || r.top < header.bottom - 1) {
        unreachable.push(`${a.textContent} at ${Math.round(r.top)}–${Math.round(r.bottom)}, under ${hit && hit.outerHTML.slice(0, 60)}`);
      }
    }
    return {
      display: getComputedStyle(panel).display,
      top: box.top, bottom: box.bottom, headerBottom: header.bottom,
      scrollHeight: panel.scrollHeight, clientHeight: panel.clientHeight,
      links: links.length, unreachable,
    };
  });
}

for (const scheme of ["light", "dark"]) {
  const page = await newPage(PHONE, scheme);

  await test(`phone ${scheme}: the menu toggle is a button with aria-expanded, reached by Tab`, async () => {
    await open(page, "area-5/page-10.html");
    const button = page.locator(".al-nav-button");
    assert.equal(await button.evaluate((b) => b.tagName), "BUTTON");
    assert.equal(await button.getAttribute("aria-expanded"), "false");
    assert.equal(await button.getAttribute("aria-controls"), "al-sidebar");
    assert.ok(await button.isVisible());
    assert.ok(!(await page.locator("#al-sidebar").isVisible()), "closed at first");
    // From the top of the page: the skip link, then the menu button.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "al-nav-button");
  });

  await test(`phone ${scheme}: Enter opens the menu over the page, below the header, as tall as the screen`, async () => {
    await page.evaluate(() => window.scrollTo(0, 200));
    const before = await page.evaluate(() => window.scrollY);
    await page.keyboard.press("Enter");
    assert.equal(await page.locator(".al-nav-button").getAttribute("aria-expanded"), "true");
    const s = await menuState(page);
    assert.equal(s.display, "block");
    assert.ok(Math.abs(s.top - s.headerBottom) <= 1, `panel top ${s.top}, header bottom ${s.headerBottom}`);
    assert.ok(Math.abs(s.bottom - PHONE.height) <= 1, `panel bottom ${s.bottom}`);
    assert.ok(s.scrollHeight > s.clientHeight, "57 pages do not fit: the panel scrolls");
    assert.equal(s.links, PAGES);
    assert.deepEqual(s.unreachable, [], "every link comes into view on top of the page");
    assert.equal(await page.evaluate(() => window.scrollY), before, "the page did not move");
  });

  await test(`phone ${scheme}: a swipe scrolls the panel, never the page behind`, async () => {
    await page.evaluate(() => { document.getElementById("al-sidebar").scrollTop = 0; });
    const before = await page.evaluate(() => window.scrollY);
    await page.mouse.move(200, 400);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 400);
    await page.waitForTimeout(300);
    const after = await page.evaluate(() => {
      const panel = document.getElementById("al-sidebar");
      const links = panel.querySelectorAll(".al-nav a");
      const last = links[links.length - 1].getBoundingClientRect();
      const hit = document.elementFromPoint(last.left + 20, last.top + last.height / 2);
      return { y: window.scrollY, top: panel.scrollTop, lastOnTop: hit === links[links.length - 1] || links[links.length - 1].contains(hit), lastBottom: last.bottom };
    });
    assert.equal(after.y, before, "the page behind stayed put");
    assert.ok(after.top > 0, "the panel scrolled");
    assert.ok(after.lastOnTop && after.lastBottom <= PHONE.height, `the last link is on screen and on top: ${JSON.stringify(after)}`);
  });

  await test(`phone ${scheme}: Tab alone reaches every nav link, and not the page behind`, async () => {
    await page.evaluate(() => { document.getElementById("al-sidebar").scrollTop = 0; });
    await page.locator(".al-nav-button").focus();
    const seen = new Set();
    for (let i = 0; i < PAGES + 10; i++) {
      await page.keyboard.press("Tab");
      const where = await page.evaluate(() => {
        const a = document.activeElement;
        return { inNav: !!a.closest("#al-sidebar"), inMain: !!a.closest(".al-main"), href: a.getAttribute("href") };
      });
      assert.ok(!where.inMain, "focus went behind the menu");
      if (where.inNav) seen.add(where.href);
    }
    assert.equal(seen.size, PAGES, `reached ${seen.size} of ${PAGES}`);
  });

  await test(`phone ${scheme}: Escape closes the menu and gives focus back to the button`, async () => {
    await page.keyboard.press("Escape");
    assert.equal(await page.locator(".al-nav-button").getAttribute("aria-expanded"), "false");
    assert.ok(!(await page.locator("#al-sidebar").isVisible()));
    assert.equal(await page.evaluate(() => document.activeElement.className), "al-nav-button");
    // Space opens it too.
    await page.keyboard.press("Space");
    assert.equal(await page.locator(".al-nav-button").getAttribute("aria-expanded"), "true");
    await page.keyboard.press("Escape");
    assert.equal(await page.locator(".al-nav-button").getAttribute("aria-expanded"), "false");
  });

  await test(`phone ${scheme}: the menu lists the page's headings and takes you there`, async () => {
    await open(page, "long.html");
    await page.click(".al-nav-button");
    const headings = page.locator("#al-sidebar .al-nav-toc a");
    assert.equal(await headings.count(), 12, "eight sections and four details");
    const target = headings.filter({ hasText: "Section 7" });
    await target.scrollIntoViewIfNeeded();
    await target.click();
    await page.waitForTimeout(300);
    assert.equal(await page.locator(".al-nav-button").getAttribute("aria-expanded"), "false");
    const top = await page.evaluate(() => document.getElementById("section-7").getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 200, `section 7 at ${top}`);
    // The menu closed, the page scrolls again.
    const y = await page.evaluate(() => window.scrollY);
    await page.mouse.move(200, 400);
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(300);
    assert.ok((await page.evaluate(() => window.scrollY)) < y, "the page scrolls once the menu is closed");
  });

  await test(`phone ${scheme}: axe finds nothing on a long guide, menu closed and open`, async () => {
    await open(page, "long.html");
    let found = await axe(page);
    assert.deepEqual(found, [], found.join("\n  "));
    await page.click(".al-nav-button");
    found = await axe(page);
    assert.deepEqual(found, [], found.join("\n  "));
    assert.deepEqual(page.errors.splice(0), []);
  });
  await page.context().close();
}

await test("without JavaScript the phone menu still opens (checkbox and label), out of the tab order", async () => {
  const page = await newPage(PHONE, "light", { javaScriptEnabled: false });
  await open(page, "area-2/page-05.html");
  assert.ok(!(await page.locator(".al-nav-button").isVisible()), "the script's button is not shown");
  await page.click(".al-nav-label");
  const s = await menuState(page);
  assert.equal(s.display, "block");
  assert.deepEqual(s.unreachable, []);
  assert.equal(await page.locator("#nav-toggle").getAttribute("tabindex"), "-1");
  await page.context().close();
});

await test("a desktop at 200% zoom gets the phone menu", async () => {
  // 1440 × 900 at 200%: a 720 × 450 CSS viewport.
  const page = await newPage({ width: 720, height: 450 }, "light", { deviceScaleFactor: 2 });
  await open(page, "area-1/page-01.html");
  await page.locator(".al-nav-button").focus();
  await page.keyboard.press("Enter");
  const s = await menuState(page);
  assert.deepEqual(s.unreachable, []);
  assert.ok(Math.abs(s.bottom - 450) <= 1 && s.scrollHeight > s.clientHeight);
  await page.context().close();
});

for (const scheme of ["light", "dark"]) {
  await test(`1440 ${scheme}: "On this page" marks the section being read`, async () => {
    const page = await newPage(DESKTOP, scheme);
    await open(page, "long.html");
    const active = () => page.evaluate(() => [...document.querySelectorAll(".al-toc a.al-toc-active")].map((a) => a.getAttribute("href")));
    assert.deepEqual(await active(), ["#section-1"]);
    await page.evaluate(() => document.getElementById("section-6").scrollIntoView());
    await page.waitForFunction(() => document.querySelector(".al-toc a.al-toc-active")?.getAttribute("href") === "#section-6");
    await page.evaluate(() => document.getElementById("detail-6").scrollIntoView());
    await page.waitForFunction(() => document.querySelector(".al-toc a.al-toc-active")?.getAttribute("href") === "#detail-6");
    assert.equal(await page.locator('.al-toc a[aria-current="location"]').count(), 1);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() => document.querySelector(".al-toc a.al-toc-active")?.getAttribute("href") === "#detail-8");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() => document.querySelector(".al-toc a.al-toc-active")?.getAttribute("href") === "#section-1");
    // Reading down with the wheel: the mark moves once "Section 3" has
    // passed under the header.
    await page.mouse.move(700, 500);
    while ((await page.evaluate(() => document.getElementById("section-3").getBoundingClientRect().top)) > 60) {
      await page.mouse.wheel(0, 120);
      await page.waitForTimeout(30);
    }
    await page.waitForFunction(() => document.querySelector(".al-toc a.al-toc-active")?.getAttribute("href") === "#section-3");
    await page.context().close();
  });

  await test(`1024 ${scheme}: "On this page" folds open above the article and follows the reading`, async () => {
    const page = await newPage(TABLET, scheme);
    await open(page, "long.html");
    assert.ok(!(await page.locator(".al-toc").isVisible()), "no room for the side column");
    const inline = page.locator(".al-toc-inline");
    assert.ok(await inline.isVisible());
    await page.click(".al-toc-inline > summary");
    assert.equal(await inline.locator("a").count(), 12);
    assert.ok(await inline.locator('a[href="#section-8"]').isVisible());
    await page.evaluate(() => document.getElementById("section-4").scrollIntoView());
    await page.waitForFunction(() => document.querySelector(".al-toc-inline a.al-toc-active")?.getAttribute("href") === "#section-4");
    const found = await axe(page);
    assert.deepEqual(found, [], found.join("\n  "));
    await page.context().close();
  });
}

await test("1440, a short window: the 'On this page' column follows the mark", async () => {
  const page = await newPage({ width: 1440, height: 320 }, "light");
  await open(page, "long.html");
  const overflows = await page.evaluate(() => {
    const aside = document.querySelector(".al-toc");
    return aside.scrollHeight > aside.clientHeight;
  });
  assert.ok(overflows, "the column's list is longer than the window");
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => document.querySelector(".al-toc a.al-toc-active")?.getAttribute("href") === "#detail-8");
  const inView = await page.evaluate(() => {
    const aside = document.querySelector(".al-toc").getBoundingClientRect();
    const mark = document.querySelector(".al-toc a.al-toc-active").getBoundingClientRect();
    return mark.top >= aside.top && mark.bottom <= aside.bottom;
  });
  assert.ok(inView, "the marked entry is inside the column's visible part");
  await page.context().close();
});

await test("1440: the current page's entry is scrolled into view in a long nav", async () => {
  const page = await newPage({ width: 1440, height: 600 }, "light");
  await open(page, "area-5/page-10.html");
  const s = await page.evaluate(() => {
    const nav = document.getElementById("al-sidebar");
    const box = nav.getBoundingClientRect();
    const r = nav.querySelector('[aria-current="page"]').getBoundingClientRect();
    return { scrollTop: nav.scrollTop, inside: r.top >= box.top && r.bottom <= box.bottom, y: window.scrollY };
  });
  assert.ok(s.scrollTop > 0 && s.inside, JSON.stringify(s));
  assert.equal(s.y, 0, "the page itself did not scroll");
  await page.context().close();
});

await test("touch screen: copy buttons are visible without hover", async () => {
  const page = await newPage(PHONE, "light", { hasTouch: true, isMobile: true });
  await open(page, "long.html");
  const button = page.locator("pre .al-copy-button").first();
  assert.equal(await button.evaluate((b) => getComputedStyle(b).opacity), "1");
  await page.context().close();
});

await test("desktop keyboard: the copy button is reached by Tab and shows when focused", async () => {
  const page = await newPage(DESKTOP, "light");
  await open(page, "long.html");
  const button = page.locator("pre .al-copy-button").first();
  assert.equal(await button.evaluate((b) => getComputedStyle(b).opacity), "0", "hidden until hover or focus");
  let reached = false;
  for (let i = 0; i < 120 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement.classList.contains("al-copy-button"));
  }
  assert.ok(reached, "Tab reaches the copy button");
  assert.equal(await button.evaluate((b) => getComputedStyle(b).opacity), "1");
  await page.context().close();
});

await test("wide tables scroll in a frame reached by keyboard, with a name", async () => {
  const page = await newPage(PHONE, "light");
  await open(page, "long.html");
  const frame = await page.evaluate(() => {
    const wrap = document.querySelector(".al-content table").parentElement;
    return { cls: wrap.className, tabindex: wrap.getAttribute("tabindex"), role: wrap.getAttribute("role"), label: wrap.getAttribute("aria-label"), overflow: wrap.scrollWidth > wrap.clientWidth, pageWidth: document.scrollingElement.scrollWidth };
  });
  assert.equal(frame.cls, "al-table-wrap");
  assert.ok(frame.overflow && frame.tabindex === "0" && frame.role === "region" && frame.label, JSON.stringify(frame));
  assert.ok(frame.pageWidth <= PHONE.width, `the page itself does not scroll sideways: ${frame.pageWidth}`);
  await page.context().close();
});

await test("the theme toggle redraws Mermaid diagrams in the new scheme", async () => {
  const page = await newPage(DESKTOP, "light");
  await open(page, "long.html");
  await page.waitForSelector("pre.mermaid svg");
  const drawn = () => page.evaluate(() => {
    const svg = document.querySelector("pre.mermaid svg");
    const node = svg.querySelector(".node rect, .node polygon, rect");
    return { fill: node && getComputedStyle(node).fill, count: document.querySelectorAll("pre.mermaid svg").length };
  });
  const light = await drawn();
  await page.click(".al-theme-button");
  await page.waitForFunction((before) => {
    const node = document.querySelector("pre.mermaid svg .node rect, pre.mermaid svg .node polygon, pre.mermaid svg rect");
    return node && getComputedStyle(node).fill !== before;
  }, light.fill);
  const dark = await drawn();
  assert.equal(dark.count, 1, "one diagram, drawn again (not twice)");
  assert.notEqual(dark.fill, light.fill);
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-scheme")), "dark");
  assert.deepEqual(page.errors.splice(0), []);
  await page.context().close();
});

for (const [label, viewport] of [["390", PHONE], ["1440", DESKTOP]]) {
  await test(`404 at a nested path, ${label} px: styled, with the site's nav`, async () => {
    const page = await newPage(viewport, "light");
    const response = await open(page, "no/such/page.html");
    assert.equal(response.status(), 404);
    const look = await page.evaluate(() => ({
      font: getComputedStyle(document.body).fontFamily,
      margin: getComputedStyle(document.body).margin,
      header: getComputedStyle(document.querySelector(".al-topbar")).position,
      links: document.querySelectorAll("#al-sidebar a").length,
    }));
    assert.notEqual(look.margin, "8px", "the theme's stylesheet is applied");
    assert.ok(!/times/i.test(look.font), look.font);
    assert.equal(look.header, "sticky");
    assert.equal(look.links, PAGES);
    const found = await axe(page);
    assert.deepEqual(found, [], found.join("\n  "));
    assert.deepEqual(page.errors.splice(0), [], "its assets all loaded");
    if (viewport === PHONE) await page.click(".al-nav-button");
    await page.locator("#al-sidebar a", { hasText: "Area 3 page 04" }).click();
    await page.waitForURL(/area-3\/page-04\.html$/);
    assert.match(await page.locator("h1").textContent(), /^Area 3 page 04/);
    await page.context().close();
  });
}

await done();
