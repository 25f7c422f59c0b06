"""The chat widget in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)
against the real running stack: the API serves /widget/, Rasa and the action server answer.

Skipped with the reason when Chromium is not installed (scripts/setup.sh installs it as root).
"""
import re
import shutil

import pytest
from PIL import Image
from playwright.sync_api import expect

from bot import paths
from tests.browser import browser  # noqa: F401 (the shared headless Chromium fixture)

pytestmark = pytest.mark.stack

VIEWPORT = {"width": 480, "height": 720}  # about the size of the portal's iframe
TIMEOUT_MS = 30_000
SCREENSHOT_COPY = paths.VAR / "screenshots" / "escalation-panel.png"


class Widget:
    """One browser tab with the widget, as the portal's iframe would open it."""

    def __init__(self, page, api_url: str):
        self.page = page
        self.api_url = api_url

    def open(self, token: str, procedure: str = None, conversation: str = None) -> "Widget":
        fragment = f"token={token}" + (f"&procedure={procedure}" if procedure else "") + (f"&conversation={conversation}" if conversation else "")
        self.page.goto(f"{self.api_url}/widget/#{fragment}")
        expect(self.page.locator("#send")).to_have_text("Verstuur", timeout=TIMEOUT_MS)
        return self

    def send(self, text: str):
        """Type the text and press Enter; returns the API's response to /api/chat."""
        self.page.fill("#input", text)
        with self.page.expect_response(lambda r: r.url.endswith("/api/chat"), timeout=TIMEOUT_MS) as info:
            self.page.press("#input", "Enter")
        response = info.value
        # The widget renders after the response, then enables the send button again. (Locators, not
        # wait_for_function: the widget's CSP forbids the eval that a polling predicate needs.)
        expect(self.page.locator("#send")).to_be_enabled(timeout=TIMEOUT_MS)
        return response

    def texts(self, selector: str):
        return self.page.locator(selector).all_text_contents()


@pytest.fixture
def widget(browser, stack):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page_errors, csp_violations = [], []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.on("console", lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield Widget(page, stack.api_url)
    context.close()
    # The widget runs under its strict CSP without violations and without script errors.
    assert not csp_violations, csp_violations
    assert not page_errors, page_errors


def test_aftercare_question_shows_the_reply_and_its_leaflet_source(widget, make_token):
    token = make_token("patient-widget-1")
    widget.open(token, procedure="bloedpatch")
    assert "token" not in widget.page.url  # removed from the address once read

    response = widget.send("Hoe lang mag ik niet zwaar tillen na de bloedpatch?")
    assert response.status == 200
    # The token went as a header only, never in a URL.
    assert response.request.headers["authorization"] == f"Bearer {token}" and token not in response.request.url
    body = response.json()
    assert body["sources"] == [{"leaflet": "bloedpatch-na-ruggenprik", "section": "Nazorg"}]

    assert widget.texts(".message-patient .message-text") == ["Hoe lang mag ik niet zwaar tillen na de bloedpatch?"]
    bot_texts = widget.texts(".message-bot .message-text")
    # the text without its "Bron:" line, which is shown once, on its own line under it
    assert bot_texts == [r["text"].split("\nBron:")[0] for r in body["replies"]] and "1 week" in " ".join(bot_texts)
    assert widget.texts(".message-bot .source") == [r["text"].split("\n")[-1] for r in body["replies"] if "\nBron:" in r["text"]]
    assert widget.texts(".message-bot .source") == ["Bron: folder Bloedpatch na een ruggenprik, Nazorg"]
    assert widget.page.input_value("#input") == ""
    assert widget.page.locator("#escalation").is_hidden()


def test_alarm_shows_the_red_panel_with_a_tel_link_and_it_stays(widget, make_token):
    widget.open(make_token("patient-widget-2"), procedure="bloedpatch")
    body = widget.send("Ik heb 39 graden koorts en mijn benen zijn krachteloos").json()
    contact = body["escalation"]["contact"]
    assert contact["phone"]  # the bloedpatch leaflet names a phone number

    panel = widget.page.locator("#escalation")
    assert panel.is_visible() and panel.get_attribute("role") == "alert"
    link = panel.locator("a.escalation-phone")
    assert link.text_content() == contact["phone"]
    assert link.get_attribute("href") == "tel:" + contact["tel"] and contact["tel"].startswith("+31")
    assert re.fullmatch(r"tel:\+?[0-9]+", link.get_attribute("href"))
    panel_text = panel.text_content()
    assert contact["name"] in panel_text and contact["hours"] in panel_text
    # At the top: above the messages, so it stays in view while the conversation scrolls.
    assert panel.bounding_box()["y"] < widget.page.locator("#messages").bounding_box()["y"]

    later = widget.send("Oké, dank u wel")
    assert later.status == 200
    assert panel.is_visible() and link.get_attribute("href") == "tel:" + contact["tel"]
    assert len(widget.texts(".message-patient")) == 2


def test_html_in_a_message_is_shown_as_text_and_never_rendered(widget, make_token):
    token = make_token("patient-widget-3")
    text = 'Mag dit? <img src=x onerror="window.__xss=1"> <b>vet</b>'
    widget.open(token, procedure="hernia")
    body = widget.send(text).json()
    widget.page.wait_for_timeout(300)  # an <img src=x> would fire its onerror by now

    def assert_literal(page):
        assert page.locator(".message-patient .message-text").first.text_content() == text
        assert page.locator("img").count() == 0 and page.locator("b").count() == 0
        assert page.evaluate("typeof window.__xss") == "undefined"

    assert_literal(widget.page)
    # The transcript read back from the API (GET /api/conversations/{id}) is shown as text too.
    again = widget.page.context.new_page()
    again.goto(f"{widget.api_url}/widget/#token={token}&conversation={body['conversation_id']}")
    again.locator(".message-patient").first.wait_for()
    again.wait_for_timeout(300)
    assert_literal(again)


def test_expired_session_says_so_in_dutch_and_keeps_the_typed_text(widget, make_token):
    widget.open(make_token("patient-widget-4", expires_in=-300))
    response = widget.send("Mag ik morgen weer douchen?")
    assert response.status == 401
    status = widget.page.locator("#status")
    assert status.is_visible() and "Uw sessie is verlopen" in status.text_content() and "portaal" in status.text_content()
    assert widget.page.input_value("#input") == "Mag ik morgen weer douchen?"
    assert widget.page.locator(".message").count() == 0


def test_an_over_long_message_with_an_alarm_shows_the_panel_and_keeps_the_text(widget, make_token):
    text = "Ik heb 39 graden koorts. " + "Verder gaat het wel goed met mij. " * 70  # over MAX_MESSAGE_CHARS (2000)
    widget.open(make_token("patient-widget-6"), procedure="bloedpatch")
    response = widget.send(text)
    assert response.status == 200
    body = response.json()
    assert body["refused"] == "too_long" and body["escalation"] and body["replies"]  # not answered, but triaged and escalated
    assert widget.page.locator("#escalation").is_visible()
    assert widget.texts(".message-bot .message-text") == [r["text"] for r in body["replies"]]
    assert widget.page.input_value("#input") == text  # kept, so the patient can shorten it
    assert widget.page.locator(".message-patient").count() == 0


def test_without_a_token_the_widget_asks_to_log_in_via_the_portal(widget):
    widget.page.goto(f"{widget.api_url}/widget/")
    expect(widget.page.locator("#send")).to_have_text("Verstuur")
    assert "U bent niet ingelogd" in widget.page.locator("#status").text_content()
    assert widget.page.locator("#input").is_disabled() and widget.page.locator("#send").is_disabled()


def test_screenshot_of_the_escalation_panel_is_large_and_red(widget, make_token, tmp_path):
    widget.open(make_token("patient-widget-5"), procedure="bloedpatch")
    assert widget.send("Ik heb 39 graden koorts en mijn benen zijn krachteloos").json()["escalation"]
    panel = widget.page.locator("#escalation")
    shot = tmp_path / "escalation-panel.png"
    panel.screenshot(path=str(shot))
    SCREENSHOT_COPY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, SCREENSHOT_COPY)

    image = Image.open(shot).convert("RGB")
    width, height = image.size
    assert width >= 0.6 * VIEWPORT["width"], (width, VIEWPORT)
    assert height >= 100, height  # title, contact, phone, hours and 112: not a thin strip
    data = image.tobytes()  # R, G, B bytes per pixel
    strongly_red = sum(1 for r, g, b in zip(data[0::3], data[1::3], data[2::3]) if r >= 150 and g <= 90 and b <= 90)
    assert strongly_red / (width * height) > 0.5, f"{strongly_red / (width * height):.0%} strongly red"


def test_the_red_flag_question_shows_ja_nee_buttons_and_ja_escalates(widget, make_token):
    widget.open(make_token("patient-widget-question"), procedure="hernia")
    response = widget.send("Ik loop wat moeilijker sinds gisteren")  # vague, and the classifier is not sure either
    body = response.json()
    assert body["escalation"] is None and body["replies"][-1]["buttons"]
    buttons = widget.page.locator(".message-bot .answer-button")
    expect(buttons).to_have_text(["Ja", "Nee"])
    expect(widget.page.locator("#escalation")).to_be_hidden()

    widget.page.fill("#input", "ik typ nog iets")  # a click does not take what the patient is typing
    with widget.page.expect_response(lambda r: r.url.endswith("/api/chat"), timeout=TIMEOUT_MS) as info:
        buttons.first.click()
    expect(widget.page.locator("#send")).to_be_enabled(timeout=TIMEOUT_MS)
    answer = info.value
    assert answer.request.post_data_json["text"] == "Ja"
    assert answer.json()["escalation"]["reasons"] == ["neuro_deficit"]
    assert widget.texts(".message-patient .message-text")[-1] == "Ja"  # the click shows as the patient's message
    expect(widget.page.locator("#escalation")).to_be_visible()
    expect(widget.page.locator(".escalation-title")).to_have_text("Neem nu direct contact op")
    for button in buttons.all():
        expect(button).to_be_disabled()  # answered: the question's buttons are retired
    assert widget.page.locator("#input").input_value() == "ik typ nog iets"
    (paths.VAR / "screenshots").mkdir(parents=True, exist_ok=True)
    widget.page.screenshot(path=str(paths.VAR / "screenshots" / "red-flag-question.png"))


def test_topic_buttons_answer_the_chosen_topic_when_clicked(widget, make_token):
    from tests.api.test_topic_offers import VAGUE

    for index, (text, procedure) in enumerate(VAGUE):
        widget.open(make_token(f"patient-widget-topics-{index}"), procedure=procedure)  # a new conversation
        body = widget.send(text).json()
        if body["replies"][-1].get("buttons"):
            break
    else:
        pytest.fail("no vague question got the topics offered")
    buttons = widget.page.locator(".message-bot").last.locator("button.answer-button")
    titles = buttons.all_text_contents()
    assert titles[-1] == "Iets anders" and len(titles) >= 3
    with widget.page.expect_response(lambda r: r.url.endswith("/api/chat"), timeout=TIMEOUT_MS) as info:
        buttons.first.click()
    answer = info.value.json()
    expect(widget.page.locator("#send")).to_be_enabled(timeout=TIMEOUT_MS)
    assert answer["sources"]  # the chosen topic, answered from the leaflet
    assert widget.texts(".message-patient .message-text")[-1] == titles[0]  # the click shows as the patient's words
    assert all(b.is_disabled() for b in buttons.all())  # an answered offer's buttons are retired
    # the answer's "Bron:" line is shown once, on its own line under the text
    last = widget.page.locator(".message-bot").last
    assert len(last.locator(".source").all_text_contents()) == 1 and "Bron:" not in last.locator(".message-text").text_content()


def test_the_widget_passes_axe_cores_wcag_2_1_aa_check(browser, stack, make_token):
    from tests.browser import axe_violations

    context = browser.new_context(viewport=VIEWPORT, locale="nl-NL", bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        widget = Widget(page, stack.api_url).open(make_token("patient-widget-axe"), procedure="bloedpatch")
        assert axe_violations(page) == []
        widget.send("Hoe lang mag ik niet zwaar tillen na de bloedpatch?")
        widget.send("mijn been voelt raar sinds vanmiddag")  # the red-flag question with its ja/nee buttons
        assert axe_violations(page) == []
        widget.send("Ik heb 39 graden koorts")  # the red escalation panel
        expect(page.locator("#escalation")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()
