// SPDX-License-Identifier: MIT
// myoreg serve in Debian's chromium, driven by playwright-core (issue 10,
// item 7).  Run by tests/browser/run.sh, which starts the server on the
// registry of tests/e2e/web/lib.sh and exports:
//   MYO_URL                the server, http://127.0.0.1:PORT
//   MYO_PASSWORD           every account's password
//   MYO_SERVE_LOG          the server's stderr (its request and refusal log)
//   MYO_BROWSER_ARTIFACTS  the folder for the screenshots
//   MYOREG, MYOREG_DB      the command and the registry (audit checks)
//   MYOREG_CHROMIUM        the browser (/usr/bin/chromium)
// Accounts: dm (data manager), clin0 (clinician at seed000), clin4
// (clinician at seed004), ana (analyst), admin.
//
// A scenario whose page does not exist yet is a skipped test that names
// what is missing, never a pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set: run tests/browser/run.sh, not this file`);
    return v;
};
const URL_ = env('MYO_URL');
const PASSWORD = env('MYO_PASSWORD');
const SERVE_LOG = env('MYO_SERVE_LOG');
const ARTIFACTS = env('MYO_BROWSER_ARTIFACTS');
const MYOREG = env('MYOREG');
env('MYOREG_DB');

let browser;

before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
        executablePath: process.env.MYOREG_CHROMIUM || '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox'],
    });
});

after(async () => {
    if (browser) await browser.close();
});

// A fresh browser profile (no cookies) per scenario.
async function newPage() {
    const context = await browser.newContext({ baseURL: URL_ });
    context.setDefaultTimeout(30000); // the machines running make test are often loaded
    const page = await context.newPage();
    return { context, page };
}

// A screenshot for a person to look at (test artefact); fullPage false for
// long pages, whose whole picture takes long on a loaded machine.
async function shot(page, name, fullPage = true) {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage, timeout: 60000 });
}

// Sign in through the form; the answer to the form's POST.
async function signIn(page, user, password = PASSWORD) {
    await page.goto('/login');
    await page.fill('#user', user);
    await page.fill('#password', password);
    const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
        page.click('form[action="/login"] button[type="submit"]'),
    ]);
    await page.waitForLoadState();
    return resp;
}

// The change sets of the audit trail, newest first (docs/json.md).
function audit() {
    const r = spawnSync(MYOREG, ['audit', '--json', '--limit', '0'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `myoreg audit --json: ${r.stderr}`);
    return JSON.parse(r.stdout);
}

function serveLog() {
    return readFileSync(SERVE_LOG, 'utf8');
}

function myoreg(...args) {
    return spawnSync(MYOREG, args, { encoding: 'utf8' });
}

test('sign in through the form, see the patient list, open a patient page, sign out', async () => {
    const { context, page } = await newPage();
    try {
        await page.goto('/');
        assert.match(page.url(), /\/login$/, 'a visitor without a session is sent to /login');
        await shot(page, 'login');

        const resp = await signIn(page, 'clin0');
        assert.equal(resp.status(), 303);
        assert.match(page.url(), /\/patients$/);
        assert.equal(await page.textContent('h1'), 'Patients');
        assert.match(await page.textContent('header'), /clin0 \(clinician\)/);

        const cookies = await context.cookies();
        const session = cookies.find((c) => c.name === 'myoreg_session');
        assert.ok(session, 'no myoreg_session cookie after signing in');
        assert.equal(session.httpOnly, true);
        assert.equal(session.sameSite, 'Strict');
        assert.match(session.value, /^[0-9a-f]{64}$/);

        // the list: the clinician's site only
        const ids = await page.$$eval('main table tbody tr td:first-child a', (as) => as.map((a) => a.textContent));
        assert.ok(ids.includes('seed000-p1'), `seed000-p1 not in the list: ${ids.join(' ')}`);
        assert.ok(ids.every((id) => id.startsWith('seed000-')), `another site's patient in the list: ${ids.join(' ')}`);
        assert.match(await page.textContent('main'), new RegExp(`${ids.length} patient\\(s\\) you may see`));
        await shot(page, 'patients');

        // a patient page, by following its link
        await Promise.all([page.waitForURL(/\/patients\/seed000-p1$/), page.click('a[href="/patients/seed000-p1"]')]);
        const sections = await page.$$eval('main h2', (hs) => hs.map((h) => h.textContent));
        assert.ok(sections.includes('derived'), `no "derived" section on the patient page: ${sections.join(', ')}`);
        assert.match(await page.textContent('main'), /000-P1/, 'the study id is not on the patient page');
        await shot(page, 'patient', false);

        // sign out: back to the form, and the pages need signing in again
        await Promise.all([page.waitForURL(/\/login$/), page.click('form.signout button[type="submit"]')]);
        assert.equal((await context.cookies()).filter((c) => c.name === 'myoreg_session').length, 0,
            'the session cookie is still there after signing out');
        await page.goto('/patients');
        assert.match(page.url(), /\/login$/, '/patients after signing out did not go to /login');

        // both are in the audit trail under the user's name
        const sets = audit().filter((s) => s.user === 'clin0');
        assert.ok(sets.some((s) => /^sign-in from 127\.0\.0\.1 \(session [0-9a-f]+\)/.test(s.reason)),
            'no sign-in of clin0 in the audit trail');
        assert.ok(sets.some((s) => /^sign-out/.test(s.reason)), 'no sign-out of clin0 in the audit trail');
    } finally {
        await context.close();
    }
});

test('a wrong password shows an error next to the form and sets no session', async () => {
    const { context, page } = await newPage();
    try {
        const resp = await signIn(page, 'clin4', 'not-the-password');
        assert.equal(resp.status(), 401);
        assert.match(page.url(), /\/login$/);
        assert.equal((await page.textContent('p.error[role="alert"]')).trim(), 'wrong user name or password');
        assert.equal(await page.inputValue('#user'), 'clin4', 'the user name is not kept in the form');
        assert.equal(await page.inputValue('#password'), '', 'the password was sent back into the form');
        assert.equal((await context.cookies()).length, 0, 'a cookie was set by a failed sign-in');
        await shot(page, 'login-wrong-password');
        // the pages still need signing in
        await page.goto('/patients');
        assert.match(page.url(), /\/login$/);
        assert.ok(audit().some((s) => s.user === 'clin4' && /^failed sign-in as clin4 from 127\.0\.0\.1: wrong password/.test(s.reason)),
            'the failed sign-in is not in the audit trail');
    } finally {
        await context.close();
    }
});

// The audit trail's newest change set before the refused reads below.
let refusedAfter = null;

test('a site-A clinician opening a site-B patient gets 404 by URL and by API, and the attempt is logged', async () => {
    const { context, page } = await newPage();
    try {
        assert.equal((await signIn(page, 'clin0')).status(), 303);
        const before = serveLog().length;
        const seq = audit()[0].seq;

        // by URL, in the address bar
        const resp = await page.goto('/patients/seed004-p01');
        assert.equal(resp.status(), 404);
        assert.equal(await page.textContent('h1'), 'Not found');
        const text = await page.textContent('main');
        assert.doesNotMatch(text, /004-01|birth_date|derived/, 'the 404 page shows something of the patient');
        await shot(page, 'patient-other-site-404');
        // exactly as a patient that does not exist
        const none = await page.goto('/patients/no-such-patient');
        assert.equal(none.status(), 404);
        assert.equal(await page.textContent('h1'), 'Not found');

        // by the API, with the browser's session
        const api = await page.request.get('/api/v1/patients/seed004-p01');
        assert.equal(api.status(), 404);
        assert.doesNotMatch(await api.text(), /004-01|birth_date/);
        const byStudyId = await page.request.get('/api/v1/patients/004-01');
        assert.equal(byStudyId.status(), 404);
        // while the clinician's own patient is there
        assert.equal((await page.request.get('/api/v1/patients/seed000-p1')).status(), 200);

        // logged by the server under the user and session, once per attempt
        const log = serveLog().slice(before);
        const refusals = log.match(/refused: user clin0 \(clinician, session [0-9a-f]+\) may not patient-read patient seed004-p01 of site seed004/g) || [];
        assert.ok(refusals.length >= 2, `the page and the API refusals are not both in the server log:\n${log}`);

        refusedAfter = seq;
    } finally {
        await context.close();
    }
});

test('the refused reads of another site\'s patient are in the audit trail', (t) => {
    assert.notEqual(refusedAfter, null, 'the 404 scenario before this one did not run to its end');
    const sets = audit().filter((s) => s.seq > refusedAfter && /seed004-p01/.test(s.reason || ''));
    if (sets.length === 0) {
        t.skip('refused reads are logged on the server\'s stderr only (src/web/docs.c, fprintf): '
            + 'the audit trail has no entry for clin0 opening seed004-p01');
        return;
    }
    assert.ok(sets.every((s) => s.user === 'clin0'), 'a refusal is audited under another name');
});

test('a form posted without its CSRF token is refused with 403 and changes nothing', async () => {
    const { context, page } = await newPage();
    try {
        assert.equal((await signIn(page, 'clin0')).status(), 303);

        // the new patient form, its hidden token removed
        await page.goto('/patients/new');
        await page.fill('#id', 'web-csrf-1');
        await page.fill('#site', 'seed000');
        await page.fill('#sex', 'female');
        await page.locator('form[action="/patients"] input[name="csrf"]').evaluate((e) => e.remove());
        let [resp] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.click('form[action="/patients"] button[type="submit"]'),
        ]);
        assert.equal(resp.status(), 403);
        await page.waitForLoadState();
        await shot(page, 'csrf-refused');
        assert.equal(myoreg('patient', 'web-csrf-1').status, 1, 'the patient was created without the token');

        // a wrong token: the same
        await page.goto('/patients/new');
        await page.fill('#id', 'web-csrf-2');
        await page.fill('#site', 'seed000');
        await page.fill('#sex', 'female');
        await page.locator('form[action="/patients"] input[name="csrf"]')
            .evaluate((e) => { e.value = '0'.repeat(64); });
        [resp] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.click('form[action="/patients"] button[type="submit"]'),
        ]);
        assert.equal(resp.status(), 403);
        assert.equal(myoreg('patient', 'web-csrf-2').status, 1, 'the patient was created with a wrong token');

        // the sign-out form without its token: refused, still signed in
        await page.goto('/patients');
        await page.locator('form.signout input[name="csrf"]').evaluate((e) => e.remove());
        [resp] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.click('form.signout button[type="submit"]'),
        ]);
        assert.equal(resp.status(), 403);
        assert.equal((await page.goto('/patients')).status(), 200);
        assert.match(page.url(), /\/patients$/, 'a sign-out without its token signed the user out');

        // an API write without X-CSRF-Token, with the browser's cookie
        const api = await page.request.post('/api/v1/patients', {
            data: { id: 'web-csrf-3', site: 'seed000', sex: 'male' },
        });
        assert.equal(api.status(), 403);
        assert.equal(myoreg('patient', 'web-csrf-3').status, 1);
    } finally {
        await context.close();
    }
});

test('create a patient through the form; a bad value is shown with the importer\'s message', async () => {
    const { context, page } = await newPage();
    try {
        assert.equal((await signIn(page, 'clin0')).status(), 303);
        await Promise.all([page.waitForURL(/\/patients\/new$/), page.click('a[href="/patients/new"]')]);
        await shot(page, 'patient-new');

        // a bad sex: the form again, refilled, with the located message
        await page.fill('#id', 'web-b1');
        await page.fill('#site', 'seed000');
        await page.fill('#study_id', 'B-01');
        await page.fill('#sex', 'martian');
        await page.fill('#birth_date', '2011-05-06');
        let [resp] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.click('form[action="/patients"] button[type="submit"]'),
        ]);
        assert.equal(resp.status(), 422);
        await page.waitForLoadState();
        assert.match(await page.textContent('.error[role="alert"]'), /patients\.csv:2:\d+: sex: /);
        assert.equal(await page.inputValue('#study_id'), 'B-01', 'the form is not refilled');
        await shot(page, 'patient-new-error');
        assert.equal(myoreg('patient', 'web-b1').status, 1, 'a bad patient was half-saved');

        // corrected: created, and its page shows it
        await page.fill('#sex', 'female');
        await Promise.all([page.waitForURL(/\/patients\/web-b1$/),
            page.click('form[action="/patients"] button[type="submit"]')]);
        assert.match(await page.textContent('main'), /B-01/);
        const doc = JSON.parse(myoreg('patient', 'web-b1', '--json').stdout);
        assert.equal(doc.patient.sex, 'female');
        assert.equal(doc.patient.study_id, 'B-01');
        assert.equal(doc.patient.birth_date, '2011-05-06');
        const r = myoreg('audit', '--entity', 'patient', '--id', 'web-b1', '--json');
        assert.equal(r.status, 0);
        assert.ok(JSON.parse(r.stdout).some((s) => s.user === 'clin0'), 'the creation is not under clin0 in the audit trail');

        // in the list now
        await page.goto('/patients');
        assert.equal(await page.locator('a[href="/patients/web-b1"]').count(), 1);
    } finally {
        await context.close();
    }
});

// ---- scenarios of issue 10 whose pages are not there yet -------------------
// Each looks for the way in that a person would use (a link or a form on the
// page before); when there is none, the test is skipped and says so.

test('enter a visit through the form and see its TIS appear', async () => {
    // seed004-p01 has a cyclophosphamide episode (day 0 2005-11-23) and a
    // baseline visit (2005-11-16): a visit six months on gets a TIS.
    const { context, page } = await newPage();
    try {
        assert.equal((await signIn(page, 'clin4')).status(), 303);
        await page.goto('/patients/seed004-p01');
        assert.equal(await page.locator('#score-web-m6').count(), 0);
        await Promise.all([page.waitForURL(/\/patients\/seed004-p01\/visits\/new$/), page.click('#new-visit')]);
        await shot(page, 'visit-new');

        // a value out of range: the form again, the message next to its field
        const fill = async (values) => {
            for (const [name, v] of Object.entries(values)) await page.fill(`#visit-${name}`, v);
        };
        await fill({ id: 'web-m6', date: '2006-05-20', kind: 'scheduled', mmt8: '95',
            'phys-global': '2', 'patient-global': '2.5', 'extramuscular-global': '1', haq: '0.5', ck: '150' });
        let [resp] = await Promise.all([
            // the form's submission, not a live-score request of /entry.js
            page.waitForResponse((r) => r.request().method() === 'POST' && /\/visits$/.test(r.url())),
            page.click('#visit-save'),
        ]);
        assert.equal(resp.status(), 422);
        await page.waitForLoadState();
        assert.match(await page.textContent('#error-mmt8'), /95/);
        assert.equal(await page.inputValue('#visit-ck'), '150', 'the visit form is not refilled');
        await shot(page, 'visit-new-error');
        assert.equal(myoreg('audit', '--entity', 'visit', '--id', 'web-m6', '--json').stdout.includes('web-m6'), false,
            'a refused visit was written');

        // corrected: saved, and the patient page shows its TIS
        await page.fill('#visit-mmt8', '74');
        await Promise.all([page.waitForURL(/\/patients\/seed004-p01$/), page.click('#visit-save')]);
        const tis = (await page.textContent('#visit-scores #score-web-m6 .tis')).trim();
        assert.match(tis, /^\d+(\.\d+)?$/, `no TIS for the new visit: "${tis}"`);
        const doc = JSON.parse(myoreg('patient', 'seed004-p01', '--json').stdout);
        const a = doc.derived.assessments.find((x) => x.visit === 'web-m6');
        assert.ok(a, 'the new visit has no assessment in the patient\'s document');
        assert.equal(Number(tis), a.tis, 'the page\'s TIS is not the document\'s');
        await page.locator('#visit-scores').scrollIntoViewIfNeeded();
        await shot(page, 'visit-tis', false);
    } finally {
        await context.close();
    }
});

test('create a patient, enter its baseline and 6-month visits, see the TIS', async () => {
    // A TIS compares a visit with the baseline of a therapy episode: the
    // new patient gets its episode (day 0, phases, conditioning schedule)
    // through the episode form first.
    const { context, page } = await newPage();
    try {
        assert.equal((await signIn(page, 'clin0')).status(), 303);
        await Promise.all([page.waitForURL(/\/patients\/new$/), page.click('a[href="/patients/new"]')]);
        await page.fill('#id', 'web-t1');
        await page.fill('#site', 'seed000');
        await page.fill('#study_id', 'T-01');
        await page.fill('#sex', 'male');
        await page.fill('#birth_date', '2008-02-03');
        await Promise.all([page.waitForURL(/\/patients\/web-t1$/),
            page.click('form[action="/patients"] button[type="submit"]')]);

        // the episode: a bad day 0 first, shown at its field, nothing stored
        await Promise.all([page.waitForURL(/\/patients\/web-t1\/episodes\/new$/), page.click('#new-episodes')]);
        await page.fill('#rec-id', 'web-t1-e');
        await page.selectOption('#rec-kind', 'ahsct');
        await page.fill('#rec-day0', '2020-02-30');
        await page.fill('#rec-conditioning', '-6..-2');
        await page.fill('#rec-infusion', '0');
        const row = { drug: 'cyclophosphamide', dose: '50', unit: 'mg/kg', route: 'iv', start_day: '-5', end_day: '-2' };
        for (const [col, v] of Object.entries(row)) await page.fill(`#rec-sched-1-${col}`, v);
        await page.fill('#rec-sched-2-drug', 'atg');
        await page.fill('#rec-sched-2-dose', '1.5');
        await page.fill('#rec-sched-2-unit', 'furlongs');
        await shot(page, 'episode-new');
        let [resp] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.click('#record-save'),
        ]);
        assert.equal(resp.status(), 422);
        await page.waitForLoadState();
        assert.match(await page.textContent('#error-day0'), /episodes\.csv:2:\d+: day0: /);
        assert.equal(await page.inputValue('#rec-sched-1-drug'), 'cyclophosphamide', 'the episode form is not refilled');
        await shot(page, 'episode-new-error');
        assert.equal(JSON.parse(myoreg('patient', 'web-t1', '--json').stdout).episodes.length, 0,
            'a refused episode was half-saved');
        await page.fill('#rec-day0', '2020-03-10');
        [resp] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.click('#record-save'),
        ]);
        assert.equal(resp.status(), 422);
        await page.waitForLoadState();
        assert.match(await page.textContent('#error-sched-2-unit'), /medications\.csv:3:\d+: unit/);
        await page.fill('#rec-sched-2-unit', 'mg/kg');
        await page.fill('#rec-sched-2-start_day', '-3');
        await page.fill('#rec-sched-2-end_day', '-1');
        await Promise.all([page.waitForURL(/\/patients\/web-t1$/), page.click('#record-save')]);
        let doc = JSON.parse(myoreg('patient', 'web-t1', '--json').stdout);
        assert.equal(doc.episodes.length, 1);
        assert.equal(doc.episodes[0].day0, '2020-03-10');
        assert.deepEqual(doc.medications.filter((m) => m.episode === 'web-t1-e').map((m) => m.start_day).sort(),
            [-3, -5], 'the conditioning schedule is not stored by day');

        // the baseline before day 0, the visit six months on: its TIS
        const visit = async (values) => {
            await Promise.all([page.waitForURL(/\/visits\/new$/), page.click('#new-visit')]);
            for (const [name, v] of Object.entries(values)) await page.fill(`#visit-${name}`, v);
            await Promise.all([page.waitForURL(/\/patients\/web-t1$/), page.click('#visit-save')]);
        };
        await visit({ id: 'web-t1-v0', date: '2020-03-01', kind: 'baseline', mmt8: '52', 'phys-global': '6',
            'patient-global': '5', 'extramuscular-global': '4', chaq: '1.5', ck: '2400' });
        // the 6-month visit: its scores shown while typing (the API, through
        // /entry.js under the CSP), then the same TIS once saved
        const blocked = [];
        page.on('console', (msg) => {
            if (/Content Security Policy/i.test(msg.text())) blocked.push(msg.text());
        });
        await Promise.all([page.waitForURL(/\/visits\/new$/), page.click('#new-visit')]);
        const v6 = { id: 'web-t1-v6', date: '2020-09-10', kind: 'scheduled', mmt8: '76', 'phys-global': '1',
            'patient-global': '1.5', 'extramuscular-global': '0.5', chaq: '0.25', ck: '120' };
        // the answer to the request carrying every value typed (earlier ones
        // carry part of them), then the box showing it
        const complete = page.waitForResponse((r) => {
            if (!r.url().endsWith('/response')) return false;
            const sent = JSON.parse(r.request().postData() || '{}');
            return Object.entries(v6).every(([k, v]) => sent[k] === v);
        });
        for (const [name, v] of Object.entries(v6)) await page.fill(`#visit-${name}`, v);
        const scores = await (await complete).json();
        assert.ok(scores.tis && typeof scores.tis.score === 'number', `no TIS while typing: ${JSON.stringify(scores)}`);
        await page.waitForFunction((want) => {
            const el = document.querySelector('#live-scores .live-tis');
            return el !== null && el.textContent.startsWith(`TIS ${want} `);
        }, scores.tis.score);
        await shot(page, 'visit-live-scores');
        assert.deepEqual(blocked, [], 'the Content-Security-Policy blocked the script');
        await Promise.all([page.waitForURL(/\/patients\/web-t1$/), page.click('#visit-save')]);
        const tis = (await page.textContent('#visit-scores #score-web-t1-v6 .tis')).trim();
        assert.equal(Number(tis), scores.tis.score, 'the TIS shown while typing is not the saved one');
        assert.match(tis, /^\d+(\.\d+)?$/, `no TIS for the 6-month visit: "${tis}"`);
        doc = JSON.parse(myoreg('patient', 'web-t1', '--json').stdout);
        const a = doc.derived.assessments.find((x) => x.visit === 'web-t1-v6');
        assert.ok(a, 'the 6-month visit has no assessment in the patient\'s document');
        assert.equal(Number(tis), a.tis, 'the page\'s TIS is not the document\'s');
        await page.locator('#visit-scores').scrollIntoViewIfNeeded();
        await shot(page, 'episode-visit-tis', false);
    } finally {
        await context.close();
    }
});

// The state of query id, read by the command (the registry's truth).
function queryStatus(id) {
    const r = myoreg('queries', 'show', String(id), '--json');
    assert.equal(r.status, 0, `myoreg queries show ${id}: ${r.stderr}`);
    return JSON.parse(r.stdout).status;
}

// Submit a form on the current page and wait for the page it leads to.
async function submit(page, formSelector) {
    await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && /\/queries/.test(r.url())),
        page.click(`${formSelector} button[type="submit"]`),
    ]);
    await page.waitForLoadState();
}

test('raise a data query and answer it', async () => {
    const question = 'Is the year of birth 2000 as in the clinic letter?';
    let id;
    {
        // the data manager raises it on a field of a seed000 patient
        const { context, page } = await newPage();
        try {
            assert.equal((await signIn(page, 'dm')).status(), 303);
            await page.click('#nav-queries');
            await page.waitForLoadState();
            await page.fill('#raise-entity', 'patient');
            await page.fill('#raise-record', 'seed000-p1');
            await page.fill('#raise-field', 'birth_date');
            await page.fill('#raise-error', question);
            await submit(page, '#raise-form');
            const listed = JSON.parse(myoreg('queries', 'list', '--json').stdout)
                .filter((q) => q.record_id === 'seed000-p1' && q.field === 'birth_date');
            assert.equal(listed.length, 1, 'the raised query is not in the registry');
            id = listed[0].id;
            assert.equal(queryStatus(id), 'open');
            assert.match(await page.textContent(`#query-${id}`), /open/);
        } finally {
            await context.close();
        }
    }
    {
        // the clinician of the patient's site answers it
        const { context, page } = await newPage();
        try {
            assert.equal((await signIn(page, 'clin0')).status(), 303);
            await page.goto('/queries');
            await page.fill(`#answer-text-${id}`, 'Yes: born 2000, checked against the letter');
            await submit(page, `#answer-${id}`);
            assert.equal(queryStatus(id), 'answered');
            assert.match(await page.textContent(`#query-${id}`), /answered/);
            // a clinician cannot close it: the form is not offered
            assert.equal(await page.locator(`#close-${id}`).count(), 0);
            await shot(page, 'queries-answered', false);
        } finally {
            await context.close();
        }
    }
    {
        // the data manager closes it; every step is in the audit trail
        const { context, page } = await newPage();
        try {
            assert.equal((await signIn(page, 'dm')).status(), 303);
            await page.goto('/queries');
            await page.fill(`#close-text-${id}`, 'confirmed by the site');
            await submit(page, `#close-${id}`);
            assert.equal(queryStatus(id), 'closed');
            assert.match(await page.textContent(`#query-${id}`), /closed/);
            const history = JSON.parse(myoreg('queries', 'show', String(id), '--json').stdout).history;
            assert.deepEqual(history.map((h) => [h.status, h.user]),
                [['open', 'dm'], ['answered', 'clin0'], ['closed', 'dm']]);
            await shot(page, 'queries', false);
        } finally {
            await context.close();
        }
    }
});

test('run the cohort report and see its Kaplan-Meier figure', async () => {
    const { context, page } = await newPage();
    // a figure the Content-Security-Policy blocked would show as a console
    // message and an image of no size
    const blocked = [];
    page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    try {
        assert.equal((await signIn(page, 'dm')).status(), 303);
        await Promise.all([page.waitForURL(/\/report$/), page.click('#nav-report')]);
        assert.equal(await page.textContent('h1'), 'Cohort report');
        await page.fill('#report-therapy', 'iv-cyc');
        await Promise.all([page.waitForURL(/\/report\?.*therapy=iv-cyc/), page.click('#report-run')]);
        await page.waitForSelector('#report');
        const km = page.locator('#fig-km-relapse img');
        await km.scrollIntoViewIfNeeded();
        assert.ok(await km.isVisible(), 'the Kaplan-Meier figure is not shown');
        const size = await km.evaluate((img) => [img.complete, img.naturalWidth, img.naturalHeight]);
        assert.ok(size[0] && size[1] > 100 && size[2] > 100, `the Kaplan-Meier figure did not load: ${size}`);
        assert.match(await page.textContent('#fig-km-relapse figcaption'), /Kaplan-Meier/);
        // the listing names patients by study id only
        const listing = await page.textContent('#table-patients');
        assert.match(listing, /004-\d+/);
        assert.doesNotMatch(listing, /seed004-p\d+/, 'a registry id in the listing');
        await shot(page, 'report', false);
        await km.screenshot({ path: join(ARTIFACTS, 'report-km.png') });

        // a download: the JSON document, as an attachment
        const link = await page.getAttribute('#download-json', 'href');
        const resp = await page.request.get(link);
        assert.equal(resp.status(), 200);
        assert.match(resp.headers()['content-type'], /^application\/json/);
        assert.match(resp.headers()['content-disposition'], /^attachment; filename="report\.json"$/);
        assert.ok(JSON.parse(await resp.text()).title, 'the JSON download has no title');

        // the survival analysis with its own Kaplan-Meier figure
        await Promise.all([page.waitForURL(/\/survival$/), page.click('#nav-survival')]);
        await page.selectOption('#survival-endpoint', 'death');
        await page.fill('#survival-at', '6,12');
        await Promise.all([page.waitForURL(/\/survival\?.*endpoint=death/), page.click('#survival-run')]);
        const kmDeath = page.locator('#fig-km-death img');
        await kmDeath.scrollIntoViewIfNeeded();
        const size2 = await kmDeath.evaluate((img) => [img.complete, img.naturalWidth]);
        assert.ok(size2[0] && size2[1] > 100, `the survival figure did not load: ${size2}`);
        assert.match(await page.textContent('#report'), /Overall survival/);
        await shot(page, 'survival', false);

        // a patient's timeline figures, from the patient page
        await page.goto('/patients/seed000-p1');
        await Promise.all([page.waitForURL(/\/patients\/seed000-p1\/figures$/), page.click('#patient-figures')]);
        const traj = page.locator('#fig-trajectories img');
        const size3 = await traj.evaluate((img) => [img.complete, img.naturalWidth]);
        assert.ok(size3[0] && size3[1] > 100, `the timeline figure did not load: ${size3}`);
        await shot(page, 'patient-figures', false);
        assert.deepEqual(blocked, [], 'the Content-Security-Policy blocked something');
    } finally {
        await context.close();
    }
});
