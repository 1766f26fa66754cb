// Drives a wiretrace HTML report in headless Chromium (playwright-core with
// Debian's /usr/bin/chromium). Run by scripts/html-check.sh and
// scripts/html-bench.sh, which install both; not part of CI.
//
//   node scripts/html-check.cjs check REPORT.html      behaviour checks (exit 1 on a failure)
//   node scripts/html-check.cjs load REPORT.html       load timing, as JSON on stdout
//   node scripts/html-check.cjs shot REPORT.html PNG   screenshot of the outlet view and table
//   node scripts/html-check.cjs dir DIR/index.html     a directory report: the index lists its
//                                                      pages, its last story leads to its page,
//                                                      which opens at it with its texts
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const [mode, report, shot] = process.argv.slice(2);
const url = 'file://' + path.resolve(report);
// A directory report's pages beside the index may be opened too.
const dirUrl = 'file://' + path.dirname(path.resolve(report)) + '/';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function open(viewport) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const page = await browser.newPage({ viewport: viewport || { width: 1280, height: 900 } });
  const problems = [];
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') problems.push('console: ' + m.text()); });
  page.on('pageerror', e => problems.push('page error: ' + e.message));
  // Nothing may leave the page: every request but the file itself is a failure.
  await page.route('**/*', r => {
    const u = r.request().url();
    if (u === url || u.startsWith('blob:') || u.startsWith('data:')) return r.continue();
    if (mode === 'dir' && u.startsWith(dirUrl) && /^stories-\d{4}\.html(#.*)?$/.test(u.slice(dirUrl.length))) return r.continue();
    problems.push('request: ' + u);
    return r.abort();
  });
  return { browser, page, problems };
}

let failed = 0;
function ok(what, cond, detail) {
  console.log((cond ? 'ok:   ' : 'FAIL: ') + what + (cond || detail === undefined ? '' : ' (' + detail + ')'));
  if (!cond) failed++;
}

async function tabTo(page, pred, max) {
  for (let i = 0; i < (max || 80); i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(pred)) return true;
  }
  return false;
}

async function check() {
  const { browser, page, problems } = await open();
  await page.goto(url);
  await page.waitForSelector('html[data-ready]', { timeout: 10000 });
  const rows = await page.$$eval('#copies-tbl tbody tr', t => t.length);
  ok('table drawn by the script', rows > 0, rows);
  ok('two script elements (the data and the page\'s own)', (await page.$$eval('script', s => s.length)) === 2);
  ok('no injected <img> element', (await page.$$eval('img', s => s.length)) === 0);
  const links = await page.$$eval('#copies-tbl td.url a', as => as.map(a => [a.getAttribute('href'), a.getAttribute('rel')]));
  ok('a copy URL is a link', links.length > 0, JSON.stringify(links));
  ok('links are http(s) with rel="noreferrer nofollow"', links.every(([h, r]) => /^https?:\/\//i.test(h) && r === 'noreferrer nofollow'), JSON.stringify(links));
  ok('no javascript: link', (await page.$$eval('a[href^="javascript:" i]', a => a.length)) === 0);
  const cells = await page.$$eval('#copies-tbl tbody td', t => t.map(c => c.textContent).join('\n'));
  ok('payload URL shows as text', cells.includes('https://copy.example/"><script>'), cells.slice(0, 300));
  ok('outlet view with the matrix', (await page.$$eval('#matrix rect', r => r.length)) > 0);

  // Sorting by keyboard: Tab to the Lag header's button, Enter.
  const reached = await tabTo(page, () => document.activeElement && document.activeElement.textContent === 'Lag' && document.activeElement.closest('th') !== null);
  ok('the Lag header is reachable with Tab', reached);
  await page.keyboard.press('Enter');
  const sort = await page.$eval('#copies-tbl thead th:nth-child(7)', th => th.getAttribute('aria-sort'));
  ok('Enter sorts by it (aria-sort)', sort === 'ascending', sort);
  await page.keyboard.press('Enter');
  ok('Enter again reverses', (await page.$eval('#copies-tbl thead th:nth-child(7)', th => th.getAttribute('aria-sort'))) === 'descending');

  // Filters by keyboard: the unattributed checkbox with Space, the outlet box by typing.
  const all = await page.$eval('#f-count', e => e.textContent);
  ok('unattributed checkbox reachable with Tab', await tabTo(page, () => document.activeElement && document.activeElement.id === 'f-unattr'));
  await page.keyboard.press('Space');
  const attrs = await page.$$eval('#copies-tbl tbody tr', t => t.map(r => r.getAttribute('data-attr')));
  ok('Space filters to unattributed copies', attrs.length > 0 && attrs.every(a => a === '0'), JSON.stringify(attrs) + ' ' + all);
  await page.keyboard.press('Space');
  await page.focus('#f-outlet');
  await page.keyboard.type('no such outlet anywhere');
  ok('typing in the outlet filter hides rows', (await page.$$eval('#copies-tbl tbody tr', t => t.length)) === 0);
  await page.fill('#f-outlet', '');
  await page.dispatchEvent('#f-outlet', 'input');

  // Copy all unattributed URLs.
  await page.click('#b-urls');
  const urls = await page.$eval('#urls', t => t.value);
  ok('"Copy unattributed URLs" lists URLs', /https?:\/\//.test(urls), urls);

  // Open the hostile story by keyboard (its table link), then a side-by-side view.
  const n = await page.evaluate(() => {
    const d = JSON.parse(document.getElementById('wt-data').textContent);
    const s = d.stories.find(s => s.m.some(m => m[1] === 'orig<script>'));
    return s ? s.n : null;
  });
  ok('hostile story present', n !== null);
  await page.focus(`#copies-tbl a[href="#story-${n}"]`).catch(() => page.evaluate(k => { location.hash = '#story-' + k; }, n));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#story:not([hidden]) h2');
  const title = await page.$eval('#story h2', h => h.textContent);
  ok('story heading shows the <script> title as text', title.includes("<script>alert('t')</script>"), title);
  ok('timeline legend', (await page.$$eval('#story .legend span', s => s.length)) >= 4);
  await page.focus('#story details summary');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#story details[open] .sbs', { timeout: 5000 });
  const marks = await page.$$eval('#story details[open] .sbs mark', m => m.map(x => x.textContent));
  ok('side-by-side view with highlighted passages', marks.length >= 2, marks.length);
  const panes = await page.$$eval('#story details[open] .sbs .txt', p => p.map(x => x.textContent));
  ok('each highlighted passage is in both texts', marks.every(m => panes[0].includes(m) && panes[1].includes(m)));
  ok('article <script> payload is text in the pane', panes.some(p => p.includes("<script>alert('pwned')</script>")));
  ok('still no injected element', (await page.$$eval('img', s => s.length)) === 0 && (await page.$$eval('script', s => s.length)) === 2);
  const copyLink = await page.$$eval('#story details[open] a', as => as.map(a => [a.getAttribute('href'), a.getAttribute('rel')]));
  ok('the copy URL is a link in the story view', copyLink.some(([h, r]) => /^https?:/.test(h) && r === 'noreferrer nofollow'), JSON.stringify(copyLink));
  ok('no console errors or requests', problems.length === 0, problems.join('; '));
  await browser.close();
}

async function load() {
  const { browser, page, problems } = await open();
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('#copies-tbl tbody tr', { timeout: 120000 });
  await page.waitForSelector('html[data-ready]');
  const shown = Date.now() - t0;
  // Interactive: a sort over every row, then opening the largest story.
  const t1 = Date.now();
  await page.click('#copies-tbl thead th:nth-child(10) button');
  await page.waitForFunction(() => document.querySelector('#copies-tbl thead th:nth-child(10)').getAttribute('aria-sort'));
  const sorted = Date.now() - t1;
  const t2 = Date.now();
  // The page's first story (story 1 on a single page or the index).
  await page.evaluate(() => { location.hash = '#story-' + JSON.parse(document.getElementById('wt-data').textContent).stories[0].n; });
  await page.waitForSelector('#story:not([hidden]) details');
  await page.click('#story details summary');
  const opened = Date.now() - t2;
  const rows = await page.$eval('#f-count', e => e.textContent);
  console.log(JSON.stringify({ table_shown_ms: shown, sort_all_rows_ms: sorted, open_story_ms: opened, rows, problems }));
  await browser.close();
}

async function dir() {
  const { browser, page, problems } = await open();
  await page.goto(url);
  await page.waitForSelector('html[data-ready]', { timeout: 60000 });
  const pages = await page.$$eval('#pages-table a', as => as.map(a => a.getAttribute('href')));
  ok('the index lists its pages', pages.length > 0 && pages.every(h => /^stories-\d{4}\.html$/.test(h)), JSON.stringify(pages.slice(0, 3)));
  const d = await page.evaluate(() => {
    const D = JSON.parse(document.getElementById('wt-data').textContent);
    return { listed: D.stories.length, last: D.pages[D.pages.length - 1][1] };
  });
  console.log('index: ' + d.listed + ' of ' + d.last + ' stories listed, ' + pages.length + ' pages');
  // The last story: on no index that is paged, on the last page.
  const n = d.last;
  await page.evaluate(n => { location.hash = '#story-' + n; }, n);
  await page.waitForSelector('#story:not([hidden])');
  const link = await page.$eval('#story a[href^="stories-"]', a => a.getAttribute('href')).catch(() => null);
  ok('story ' + n + ' links to its page', link !== null && new RegExp('^stories-\\d{4}\\.html#story-' + n + '$').test(link), link);
  if (link) {
    await page.goto(dirUrl + link);
    await page.waitForSelector('html[data-ready]', { timeout: 60000 });
    const h2 = await page.$eval('#story h2', e => e.textContent).catch(() => '');
    ok('its page opens at the story', h2.startsWith(n + '. '), h2);
    const det = await page.$('#story details');
    if (det) await page.click('#story details summary');
    const sbs = await page.$$eval('#story .sbs', s => s.length);
    ok('with its side-by-side view', det === null || sbs > 0, sbs);
    ok('the page links to the outlet view on the index', (await page.$$eval('a[href="index.html#outlets"]', a => a.length)) > 0);
  }
  ok('no console error, no request', problems.length === 0, problems.join('; '));
  await browser.close();
}

async function screenshot() {
  const { browser, page } = await open({ width: 1400, height: 1100 });
  await page.goto(url);
  await page.waitForSelector('html[data-ready]');
  await page.screenshot({ path: shot, fullPage: false });
  await browser.close();
}

(mode === 'check' ? check() : mode === 'load' ? load() : mode === 'dir' ? dir() : screenshot())
  .then(() => process.exit(failed ? 1 : 0))
  .catch(e => { console.error(e); process.exit(2); });
