"""The nurses' review flow in real headless Chromium against the real running stack: a patient's
alarm through POST /api/chat appears in the queue; the nurse opens it, closes it with a note; the
privacy officer finds the read and the close in the audit log. Screenshots of the queue and the
conversation page are kept in var/screenshots/."""
import shutil
import uuid

import pytest
from playwright.sync_api import expect

from bot import paths
from bot.nurses import Accounts
from bot.store import Store
from tests.browser import browser  # noqa: F401 (the shared headless Chromium fixture)

pytestmark = pytest.mark.stack

PASSWORD = "drie koppen koffie per dienst"
VIEWPORT = {"width": 1200, "height": 900}
TIMEOUT_MS = 30_000
SCREENSHOTS = paths.VAR / "screenshots"


@pytest.fixture(scope="module")
def staff(stack):
    """A nurse and a privacy officer in the stack's own database (the API process uses that URL)."""
    from bot import audit, review  # noqa: F401 (their tables join the schema)

    suffix = uuid.uuid4().hex[:6]
    store = Store(stack.extra_env["DATABASE_URL"])
    try:
        store.create_schema()
        accounts = Accounts(store.engine)
        nurse = accounts.create(f"zuster-{suffix}", PASSWORD)
        officer = accounts.create(f"privacy-{suffix}", PASSWORD, role="privacy_officer")
    finally:
        store.dispose()
    return nurse.username, officer.username


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    # Every request but the browser's own /favicon.ico succeeds (the stylesheet, the pages).
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    yield page
    context.close()
    assert not problems, problems  # no script errors, no CSP violations, no failed requests


def log_in(page, base: str, username: str):
    page.goto(f"{base}/nurse/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_alarm_to_queue_to_closed_with_a_note_and_audited(page, staff, stack, api, tmp_path):
    nurse, officer = staff
    base = stack.api_url
    log_in(page, base, nurse)
    expect(page).to_have_url(f"{base}/nurse/")
    expect(page.locator("h1")).to_have_text("Gemelde gesprekken")

    patient = f"patient-browser-{uuid.uuid4().hex[:6]}"
    chat = api.chat("Ik heb sinds vannacht 39 graden koorts", procedure="bloedpatch", sub=patient)
    assert chat.status_code == 200 and chat.json()["escalation"]["reasons"] == ["fever"]
    conv = chat.json()["conversation_id"]

    page.reload()
    row = page.locator("tr", has=page.locator(f"a[href='/nurse/conversations/{conv}']"))
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_text("nieuw")
    expect(row.locator(".cat")).to_have_text(["koorts"])
    expect(row).to_contain_text("bloedpatch")
    expect(row).to_contain_text(patient)
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)

    row.locator("a", has_text="Openen").click()
    expect(page).to_have_url(f"{base}/nurse/conversations/{conv}")
    marks = page.locator(".msg.patient mark.alarm")
    expect(marks.first).to_be_visible()
    assert {marks.nth(i).get_attribute("data-category") for i in range(marks.count())} == {"fever"}
    assert {marks.nth(i).get_attribute("title") for i in range(marks.count())} == {"koorts"}
    assert any("39 graden" in text for text in marks.all_text_contents()), marks.all_text_contents()
    expect(page.locator(".msg.patient .text")).to_have_text("Ik heb sinds vannacht 39 graden koorts")
    expect(page.locator(".msg.bot .advice").first).to_contain_text("Gegeven contactadvies")
    expect(page.locator("#status")).to_have_text("nieuw")
    page.screenshot(path=str(tmp_path / "conversation.png"), full_page=True)

    page.fill("textarea[name=note]", "Patiënt gebeld om 10:05; komt naar de SEH.")
    page.click("#close")
    expect(page).to_have_url(f"{base}/nurse/conversations/{conv}")
    expect(page.locator("#status")).to_have_text("afgesloten")
    expect(page.locator("#history")).to_contain_text("Patiënt gebeld om 10:05; komt naar de SEH.")

    page.goto(f"{base}/nurse/")
    expect(page.locator(f"a[href='/nurse/conversations/{conv}']")).to_have_count(0)  # closed: out of the open queue
    page.click("text=Uitloggen")
    expect(page).to_have_url(f"{base}/nurse/login")

    log_in(page, base, officer)
    expect(page).to_have_url(f"{base}/nurse/audit")
    page.fill("input[name=conversation_id]", conv)
    page.click("button:has-text('Filteren')")
    reads = page.locator("table.audit tbody tr.action-conversation_read")
    expect(reads.first).to_contain_text("gesprek ingezien")
    expect(reads.first).to_contain_text(nurse)
    expect(reads.first).to_contain_text(patient)
    close = page.locator("table.audit tbody tr.action-status_change")
    expect(close).to_have_count(1)
    expect(close).to_contain_text("status gewijzigd")
    expect(close).to_contain_text("closed")  # the details column keeps the codes
    expect(close).to_contain_text(nurse)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("queue", "conversation"):
        shutil.copyfile(tmp_path / f"{name}.png", SCREENSHOTS / f"nurse-{name}.png")


def test_the_nurse_pages_pass_axe_cores_wcag_2_1_aa_check(browser, staff, stack, api):
    from tests.browser import axe_violations

    nurse, officer = staff
    base = stack.api_url
    chat = api.chat("Ik heb sinds vannacht 39 graden koorts", procedure="bloedpatch", sub=f"patient-axe-{uuid.uuid4().hex[:6]}")
    conv = chat.json()["conversation_id"]
    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL", bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{base}/nurse/login")
        assert axe_violations(page) == []
        log_in(page, base, nurse)
        expect(page.locator("h1")).to_have_text("Gemelde gesprekken")
        assert axe_violations(page) == []
        page.goto(f"{base}/nurse/conversations/{conv}")
        expect(page.locator(".msg.patient").first).to_be_visible()
        assert axe_violations(page) == []
        page.click("text=Uitloggen")
        log_in(page, base, officer)
        expect(page).to_have_url(f"{base}/nurse/audit")
        assert axe_violations(page) == []
    finally:
        context.close()
