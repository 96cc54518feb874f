// The second accessibility checker: pa11y (HTML_CodeSniffer, WCAG 2 AA) in Debian's Chromium.
//
// Called by tests/e2e/test_pa11y.py with one JSON job file: the live app's base URL, an account,
// the language and the pages (sidebar URL path, optional Administration tab index). It signs in
// through the /signin form as a person does, chooses the language in the sidebar, then visits
// the pages by their sidebar links in the same Streamlit session (a fresh page load would be a
// new session), and runs pa11y on each drawn page (ignoreUrl: the page is already there).
// It prints one JSON document: for every target its errors with the data-testid chain of the
// element's ancestors, which the Python side matches against the allow-list.
import fs from 'node:fs';
import pa11y from 'pa11y';
import puppeteer from 'puppeteer';

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf-8'));
const STEP_MS = job.stepTimeoutMs ?? 60000;

// The same "finished drawing" test as tools/live_server.wait_until_drawn.
const DRAWN = `(() => !!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
  && document.querySelectorAll('[data-stale="true"]').length === 0
  && ![...document.querySelectorAll('[data-testid="stSkeleton"]')].some(s => s.getClientRects().length)
  && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg') && p._fullLayout))()`;

async function settle(page) {
	await new Promise(resolve => setTimeout(resolve, 300));
	await page.waitForFunction(DRAWN, {timeout: STEP_MS, polling: 100});
	await page.evaluate(() => document.fonts.ready.then(() => true));
}

async function signIn(page) {
	await page.goto(`${job.base}/signin?lang=${job.language}`, {waitUntil: 'load', timeout: STEP_MS});
	await page.type('#username', job.username);
	await page.type('#password', job.password);
	await Promise.all([
		page.waitForNavigation({waitUntil: 'load', timeout: STEP_MS}),
		page.click('button[type="submit"]')
	]);
	await page.waitForSelector('[data-testid="stSidebarNav"]', {timeout: STEP_MS});
	await settle(page);
}

async function chooseLanguage(page, name) {
	const clicked = await page.evaluate(text => {
		const button = [...document.querySelectorAll('.st-key-language button')].find(b => b.innerText.trim() === text);
		if (button && button.getAttribute('aria-checked') !== 'true') {
			button.click();
			return true;
		}
		return Boolean(button);
	}, name);
	if (!clicked) {
		throw new Error(`no language button ${name}`);
	}
	await settle(page);
}

async function open(page, target) {
	// The default page's link is the app's root; the others end in their URL path.
	const found = await page.evaluate(path => {
		const link = [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
			.find(a => [`/${path}`, '/'].includes(new URL(a.href).pathname) && (new URL(a.href).pathname !== '/' || path === 'oversikt'));
		link?.click();
		return Boolean(link);
	}, target.path);
	if (!found) {
		throw new Error(`no sidebar link to ${target.path}`);
	}
	await settle(page);
	if (target.tab !== undefined && target.tab !== null) {
		await page.evaluate(index => document.querySelectorAll('[role="tab"]')[index].click(), target.tab);
		await settle(page);
	}
}

async function check(browser, page, url, ignoreUrl) {
	const results = await pa11y(url, {
		browser, page, ignoreUrl, standard: 'WCAG2AA', runners: ['htmlcs'], timeout: job.pa11yTimeoutMs ?? 60000,
		includeWarnings: false, includeNotices: false
	});
	const issues = [];
	for (const issue of results.issues) {
		const ancestors = await page.evaluate(selector => {
			const chain = [];
			for (let node = document.querySelector(selector); node; node = node.parentElement) {
				if (node.dataset && node.dataset.testid) {
					chain.push(node.dataset.testid);
				}
			}
			return chain;
		}, issue.selector).catch(() => []);
		issues.push({code: issue.code, message: issue.message, selector: issue.selector,
			context: (issue.context || '').slice(0, 300), ancestors});
	}
	return issues;
}

async function main() {
	const browser = await puppeteer.launch({executablePath: job.chromium, args: job.chromiumArgs, headless: true});
	const report = {};
	try {
		const page = await browser.newPage();
		await page.setViewport({width: 1280, height: 800});
		await page.goto(`${job.base}/signin?lang=${job.language}`, {waitUntil: 'load', timeout: STEP_MS});
		report.signin = await check(browser, page, page.url(), true);
		await page.goto(`${job.base}/tillganglighet?lang=${job.language}`, {waitUntil: 'load', timeout: STEP_MS});
		report.tillganglighet = await check(browser, page, page.url(), true);
		await signIn(page);
		await chooseLanguage(page, job.language === 'en' ? 'English' : 'Svenska');
		for (const target of job.targets) {
			try {
				await open(page, target);
				report[target.id] = await check(browser, page, page.url(), true);
			} catch (error) {
				report[target.id] = {failed: String(error)};
			}
		}
	} finally {
		await browser.close();
	}
	process.stdout.write(JSON.stringify(report));
}

await main();
