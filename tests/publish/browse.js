// browse.js — loads every page of a published site in headless Chromium
// (Debian's, driven by puppeteer-core) and writes what a test needs to
// know about each page as JSON: its language, what axe-core finds at the
// WCAG 2.0/2.1 A and AA levels, the structure of its tables (caption,
// scope of every header cell) and every number cell as the browser shows
// it, with its row and column keys.
//
//   node browse.js SITE_DIR OUT.json [CHROMIUM]
//
// One browser for all pages; each page is loaded from file://, with
// JavaScript on only for the test's own probes (the pages have none).
'use strict';
const fs = require('fs');
const path = require('path');
const modules = path.join(__dirname, '..', 'tools', 'node', 'node_modules');
const puppeteer = require(path.join(modules, 'puppeteer-core'));
const axeSource = fs.readFileSync(path.join(modules, 'axe-core', 'axe.min.js'), 'utf8');

const [site, out, chromium = '/usr/bin/chromium'] = process.argv.slice(2);

function pages(dir) {
  const found = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'pack') found.push(...pages(p)); }
    else if (e.name.endsWith('.html')) found.push(p);
  }
  return found.sort();
}

// What the page itself holds, read before axe is added to it.
function probe() {
  const structure = [];
  const tables = [];
  document.querySelectorAll('table').forEach((t, ti) => {
    const name = t.getAttribute('data-table') || ('#' + ti);
    const cap = t.querySelector('caption');
    if (!cap || !cap.textContent.trim()) structure.push(`${name}: no caption`);
    t.querySelectorAll('thead th').forEach((th) => {
      if (th.getAttribute('scope') !== 'col') structure.push(`${name}: column heading "${th.textContent}" without scope=col`);
    });
    t.querySelectorAll('tbody th').forEach((th) => {
      const scope = th.getAttribute('scope');
      if (scope !== 'row' && !(scope === 'rowgroup' && th.rowSpan > 1))
        structure.push(`${name}: row heading "${th.textContent}" without scope=row (or rowgroup over several rows)`);
    });
    if (!t.querySelector('thead th')) structure.push(`${name}: no column headings`);
    const cols = [...t.querySelectorAll('thead th')].map((th) => th.getAttribute('data-key'));
    const rows = [];
    t.querySelectorAll('tbody tr').forEach((tr) => {
      const cells = [];
      // a row under a rowgroup heading starts one or more columns in
      const skip = cols.length - tr.children.length;
      [...tr.children].forEach((cell, ci) => {
        if (!cell.hasAttribute('data-state')) return;
        cells.push({ col: cols[ci + skip], state: cell.getAttribute('data-state'), flags: cell.getAttribute('data-flags'),
                     text: cell.innerText.replace(/\s+/g, ' ').trim() });
      });
      rows.push({ key: tr.getAttribute('data-key'), label: tr.innerText.split('\t')[0], cells });
    });
    tables.push({ id: name, cols, rows });
  });
  const main = document.querySelector('main');
  return {
    lang: document.documentElement.lang,
    title: document.title,
    scripts: document.querySelectorAll('script').length,
    pwned: typeof window.__pwned !== 'undefined',
    skip: !!document.querySelector('a.skip[href="#main"]') || !document.querySelector('nav'),
    main: !!main,
    h1: document.querySelectorAll('h1').length,
    links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
    svgs: [...document.querySelectorAll('svg')].map((s) => ({
      role: s.getAttribute('role'), title: (s.querySelector('title') || {}).textContent || '',
      desc: (s.querySelector('desc') || {}).textContent || '', texts: s.querySelectorAll('text').length })),
    structure,
    tables,
    width: document.documentElement.scrollWidth,
    text: location.pathname.endsWith('/deliveries.html') ? document.body.innerText : '',
  };
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--allow-file-access-from-files'],
  });
  const files = pages(site);
  const result = new Array(files.length);
  // A few tabs at once: axe's colour-contrast rule is most of the time,
  // and it waits on the renderer as much as on the CPU.
  let next = 0;
  async function worker() {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    for (let i = next++; i < files.length; i = next++) {
      const file = files[i];
      await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
      const info = await page.evaluate(probe);
      await page.evaluate(axeSource);
      const axe = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }));
      info.violations = axe.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\n').join(' ')) }));
      // The same page on a phone: nothing wider than the screen but
      // the tables' own scrolling boxes.
      await page.setViewport({ width: 360, height: 740 });
      info.narrow_width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.setViewport({ width: 1280, height: 900 });
      info.file = path.relative(site, file);
      result[i] = info;
    }
    await page.close();
  }
  try {
    await Promise.all([worker(), worker(), worker()]);
  } finally {
    await browser.close();
  }
  fs.writeFileSync(out, JSON.stringify(result, null, 1));
})().catch((err) => { console.error(err); process.exit(1); });
