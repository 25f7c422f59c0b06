"""The nurses' review pages with the real app and real SQLite (Rasa unreachable: the API's own
triage flags the alarms). Login, lock-out, CSRF, cookie flags, roles, escaping, audit rows."""
import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from bot import audit, review
from bot.nurses import Accounts
from bot.settings import Settings
from bot.stack import free_port
from tests.conftest import TEST_SECRET

PASSWORD = "zes woorden vormen een wachtwoord"


def make_app(tmp_path, **overrides):
    settings = Settings(**{
        "app_env": "test", "portal_jwt_secret": TEST_SECRET, "database_url": f"sqlite:///{tmp_path / 'app.db'}",
        "rasa_url": f"http://127.0.0.1:{free_port()}", "rasa_timeout_seconds": 1, **overrides,
    })
    return create_app(settings)


@pytest.fixture
def client(tmp_path):
    with TestClient(make_app(tmp_path), follow_redirects=False) as c:
        accounts = Accounts(c.app.state.chat.store.engine)
        accounts.create("anna", PASSWORD)
        accounts.create("pia", PASSWORD, role="privacy_officer")
        yield c


def engine(client):
    return client.app.state.chat.store.engine


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, username="anna", password=PASSWORD):
    page = client.get("/nurse/login")
    assert page.status_code == 200
    return client.post("/nurse/login", data={"username": username, "password": password, "csrf_token": csrf(page.text)})


def alarm(client, make_token, text="Ik heb 39 graden koorts", sub="patient-7", procedure="bloedpatch"):
    response = client.post("/api/chat", json={"text": text, "procedure": procedure}, headers={"Authorization": f"Bearer {make_token(sub)}"})
    assert response.status_code == 200 and response.json()["escalation"], response.text
    return response.json()["conversation_id"]


def actions(client):
    return [(e.actor, e.action, e.conversation_id, e.patient_id) for e in reversed(audit.entries(engine(client)))]


def test_login_sets_a_strict_httponly_session_cookie_and_logout_ends_it(client):
    response = login(client)
    assert response.status_code == 303 and response.headers["location"] == "/nurse/"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("nurse_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/nurse" in cookie
    assert "Secure" not in cookie  # APP_ENV=test: plain http
    queue = client.get("/nurse/")
    assert queue.status_code == 200 and "Gemelde gesprekken" in queue.text and '<html lang="nl">' in queue.text
    assert client.post("/nurse/logout", data={"csrf_token": csrf(queue.text)}).status_code == 303
    assert client.get("/nurse/").status_code == 303
    assert [a for _, a, _, _ in actions(client)] == ["login", "queue_search", "logout"]


def test_the_cookie_is_secure_outside_local_and_test(tmp_path):
    with TestClient(make_app(tmp_path, app_env=None, portal_jwt_secret="p" * 40), base_url="https://testserver", follow_redirects=False) as unset:
        assert "Secure" in unset.get("/nurse/login").headers["set-cookie"]  # APP_ENV unset: fails closed
    with TestClient(make_app(tmp_path, app_env="local"), base_url="https://testserver", follow_redirects=False) as local:
        assert "Secure" not in local.get("/nurse/login").headers["set-cookie"]
    # Production needs PostgreSQL and Redis to start; the flag itself follows APP_ENV.
    from api.routes.nurse import _secure

    assert _secure(Settings(app_env="production", portal_jwt_secret="x" * 40, database_url="postgresql://x/y", redis_url="redis://x",
                            portal_jwt_audience="spine-chat", portal_jwt_issuer="https://portal.example.nl"))


def test_wrong_unknown_and_waiting_logins_get_one_answer_and_the_audit_log_tells_them_apart(client):
    for attempt in range(5):
        response = login(client, password=f"wrong {attempt}")
        assert response.status_code == 401 and "Gebruikersnaam, wachtwoord of code onjuist." in response.text
        assert "nurse_session" not in response.headers.get("set-cookie", "")
    waiting, unknown = login(client), login(client, username="niemand")  # the right password, while the account waits
    assert waiting.status_code == unknown.status_code == 401
    assert _message(waiting.text) == _message(unknown.text) == _message(response.text)
    entries = [e for e in reversed(audit.entries(engine(client))) if e.action == "login_failed"]
    assert [e.details["why"] for e in entries] == ["wrong"] * 5 + ["account_delayed", "unknown"]


def _message(html):
    return re.search(r'<p class="error"[^>]*>(.*?)</p>', html, re.S).group(1)


def test_login_and_every_post_need_the_csrf_token(client, make_token):
    client.get("/nurse/login")
    no_token = client.post("/nurse/login", data={"username": "anna", "password": PASSWORD})
    assert no_token.status_code == 403 and "nurse_session" not in no_token.headers.get("set-cookie", "")
    wrong = client.post("/nurse/login", data={"username": "anna", "password": PASSWORD, "csrf_token": "forged"})
    assert wrong.status_code == 403
    login(client)
    conv = alarm(client, make_token)
    for token in (None, "forged"):
        data = {"action": "close", "note": "klaar", **({"csrf_token": token} if token else {})}
        assert client.post(f"/nurse/conversations/{conv}/status", data=data).status_code == 403
        assert client.post("/nurse/logout", data=data).status_code == 403
    page = client.get(f"/nurse/conversations/{conv}")
    assert 'data-status="new">nieuw<' in page.text  # nothing changed
    ok = client.post(f"/nurse/conversations/{conv}/status", data={"action": "close", "note": "klaar", "csrf_token": csrf(page.text)})
    assert ok.status_code == 303
    # Every refusal is in the audit log: who (the name typed at the login form), where, why.
    refused = [e for e in reversed(audit.entries(engine(client))) if e.action == "access_denied"]
    assert [(e.actor, e.details["reason"], e.details["path"]) for e in refused] == [
        ("anna", "csrf_login", "/nurse/login"), ("anna", "csrf_login", "/nurse/login"),
        *[("anna", "csrf", path) for _ in range(2) for path in (f"/nurse/conversations/{conv}/status", "/nurse/logout")],
    ]
    assert refused[0].role == "-" and refused[-1].role == "nurse" and refused[-1].details["method"] == "POST"


def test_patient_tokens_open_no_staff_page_and_the_staff_cookie_opens_no_patient_api(client, make_token):
    conv = alarm(client, make_token)
    bearer = {"Authorization": f"Bearer {make_token('patient-7')}"}
    for path in ("/nurse/", f"/nurse/conversations/{conv}", "/nurse/audit", "/nurse/audit.csv"):
        response = client.get(path, headers=bearer)
        assert response.status_code == 303 and response.headers["location"] == "/nurse/login", path
    assert client.post(f"/nurse/conversations/{conv}/status", headers=bearer, data={"action": "take"}).status_code == 303
    login(client)
    assert client.get("/nurse/").status_code == 200
    assert client.post("/api/chat", json={"text": "hallo"}).status_code == 401
    assert client.get(f"/api/conversations/{conv}").status_code == 401


def test_roles_nurse_reads_conversations_privacy_officer_reads_the_audit_log(client, make_token):
    conv = alarm(client, make_token)
    login(client)
    assert client.get("/nurse/audit").status_code == 403 and client.get("/nurse/audit.csv").status_code == 403
    client.cookies.clear()
    assert login(client, "pia").headers["location"] == "/nurse/audit"
    assert client.get("/nurse/").status_code == 403 and client.get(f"/nurse/conversations/{conv}").status_code == 403
    assert client.get("/nurse/audit").status_code == 200
    refused = [(e.actor, e.role, e.details["path"], e.details["reason"]) for e in reversed(audit.entries(engine(client)))
               if e.action == "access_denied"]
    assert refused == [("anna", "nurse", "/nurse/audit", "role"), ("anna", "nurse", "/nurse/audit.csv", "role"),
                       ("pia", "privacy_officer", "/nurse/", "role"), ("pia", "privacy_officer", f"/nurse/conversations/{conv}", "role")]


def test_patient_html_is_shown_as_text_and_the_alarm_span_is_marked(client, make_token):
    text = 'Ik heb 39 graden koorts <script>alert("x")</script><img src=x onerror=alert(1)>'
    conv = alarm(client, make_token, text)
    login(client)
    page = client.get(f"/nurse/conversations/{conv}")
    assert page.status_code == 200
    assert "<script>" not in page.text and "<img" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert re.search(r'<mark class="alarm" data-category="fever" title="koorts">[^<]*39 graden[^<]*</mark>', page.text), page.text
    assert "default-src 'none'" in page.headers["content-security-policy"] and page.headers["cache-control"] == "no-store"
    # The patient id and other fields in the queue are escaped too.
    assert "<script>" not in client.get("/nurse/", params={"patient_id": "<script>x</script>"}).text


def test_reads_searches_status_changes_feedback_and_exports_are_audited(client, make_token):
    conv = alarm(client, make_token)
    login(client)
    queue = client.get("/nurse/", params={"status": "new", "category": "fever"})
    assert conv in queue.text
    page = client.get(f"/nurse/conversations/{conv}")
    token = csrf(page.text)
    assert client.post(f"/nurse/conversations/{conv}/status", data={"action": "take", "csrf_token": token}).status_code == 303
    refused = client.post(f"/nurse/conversations/{conv}/status", data={"action": "close", "note": "", "csrf_token": token})
    assert refused.status_code == 400 and "Afsluiten kan alleen met een notitie" in refused.text
    assert client.post(f"/nurse/conversations/{conv}/status", data={"action": "close", "note": "Gebeld, naar SEH", "csrf_token": token}).status_code == 303
    assert client.post(f"/nurse/conversations/{conv}/feedback", data={"kind": "false_alarm", "correct_label": "no_alarm", "csrf_token": token}).status_code == 303
    closed = client.get(f"/nurse/conversations/{conv}")
    assert 'data-status="closed">afgesloten<' in closed.text and "Gebeld, naar SEH" in closed.text
    assert conv not in client.get("/nurse/").text  # closed leaves the open queue

    client.cookies.clear()
    login(client, "pia")
    page = client.get("/nurse/audit", params={"conversation_id": conv})
    assert page.status_code == 200
    export = client.get("/nurse/audit.csv", params={"conversation_id": conv})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert export.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [(r["actor"], r["action"], r["patient_id"]) for r in reversed(rows)] == [
        ("anna", "conversation_read", "patient-7"), ("anna", "status_change", "patient-7"),
        ("anna", "conversation_read", "patient-7"),  # the page shown again with the error
        ("anna", "status_change", "patient-7"), ("anna", "feedback", "patient-7"), ("anna", "conversation_read", "patient-7"),
        ("pia", "audit_read", ""),
    ]
    status_rows = [r for r in rows if r["action"] == "status_change"]
    assert [r["details"] for r in reversed(status_rows)] == ['{"action": "take", "status": "in_progress"}', '{"action": "close", "status": "closed"}']
    everything = [a for _, a, _, _ in actions(client)]
    assert everything.count("queue_search") == 2 and everything[-1] == "audit_export"


def test_a_nurse_flags_an_unflagged_message_by_hand(client, make_token):
    response = client.post("/api/chat", json={"text": "mijn hoofdpijn is anders dan eerst", "procedure": "bloedpatch"},
                           headers={"Authorization": f"Bearer {make_token('patient-8')}"})
    conv = response.json()["conversation_id"]
    assert response.json()["escalation"] is None
    login(client)
    assert conv not in client.get("/nurse/").text
    found = client.get("/nurse/", params={"patient_id": "patient-8"})
    assert conv in found.text and "niet gemarkeerd" in found.text
    page = client.get(f"/nurse/conversations/{conv}")
    message_id = re.search(r'name="message_id" value="(\d+)"', page.text).group(1)
    flagged = client.post(f"/nurse/conversations/{conv}/flag", data={"message_id": message_id, "category": "neuro_deficit", "csrf_token": csrf(page.text)})
    assert flagged.status_code == 303
    assert conv in client.get("/nurse/").text
    assert ("anna", "manual_flag", conv, "patient-8") in actions(client)


def test_the_pages_are_dutch_and_the_codes_stay_in_values(client, make_token):
    conv = alarm(client, make_token)
    login(client)
    queue = client.get("/nurse/", params={"category": "fever"})
    assert '<option value="fever" selected>koorts</option>' in queue.text  # the filter keeps the code
    assert '<option value="neuro_deficit">krachtverlies/gevoelsverlies</option>' in queue.text
    assert '<span class="cat" data-category="fever">koorts</span>' in queue.text
    assert '<option value="in_progress">in behandeling</option>' in queue.text and "1 gesprek<" in queue.text
    page = client.get(f"/nurse/conversations/{conv}")
    assert "Gegeven contactadvies:" in page.text and "redenen: koorts" in page.text
    assert '<option value="missed_alarm">gemist alarm</option>' in page.text and ">Uitloggen<" in page.text
    assert '<option value="driving">autorijden, fietsen, deelnemen aan het verkeer</option>' in page.text  # topics for a wrong answer
    for english in ("Log out", "Queue", "Transcript", "The bot was wrong", ">Take<", ">Close<", "Contact advice", "Flag this message", "Patient ·"):
        assert english not in page.text, english
    token = csrf(page.text)
    missed = client.post(f"/nurse/conversations/{conv}/feedback", data={"kind": "missed_alarm", "correct_label": "", "csrf_token": token})
    assert missed.status_code == 400
    assert ("Bij een gemist alarm hoort een categorie: spoed (112), suïcidale gedachten, zadelanesthesie, blaas/darm, "
            "krachtverlies/gevoelsverlies, trombose, koorts, infectietekenen, wondprobleem.") in missed.text

    # Errors on staff pages are Dutch HTML pages, not the API's English JSON.
    forged = client.post(f"/nurse/conversations/{conv}/status", data={"action": "take", "csrf_token": "forged"})
    assert forged.status_code == 403 and forged.headers["content-type"].startswith("text/html")
    assert "Het formulier is verlopen of ongeldig." in forged.text and forged.headers["cache-control"] == "no-store"
    gone = client.get("/nurse/conversations/does-not-exist")
    assert gone.status_code == 404 and "Dit gesprek bestaat niet (meer)." in gone.text
    client.cookies.clear()
    login(client, "pia")
    refused = client.get("/nurse/")
    assert refused.status_code == 403 and "Deze pagina is niet bedoeld voor de rol privacyfunctionaris." in refused.text
    audit_page = client.get("/nurse/audit", params={"conversation_id": conv})
    assert '<tr class="action-conversation_read">' in audit_page.text and "gesprek ingezien" in audit_page.text
    assert '<option value="status_change">status gewijzigd</option>' in audit_page.text
    # The patient API keeps its English JSON errors.
    api_error = client.get("/api/conversations/x")
    assert api_error.status_code == 401 and api_error.headers["content-type"] == "application/json" and "detail" in api_error.json()


def test_new_categories_and_notices_are_labelled_filterable_and_ordered_in_the_queue(client, make_token):
    fever = alarm(client, make_token, sub="patient-q1")
    suicidal = alarm(client, make_token, text="ik wil niet meer leven", sub="patient-q2")
    italian = client.post("/api/chat", json={"text": "Ho un forte mal di schiena, cosa posso fare?"},
                          headers={"Authorization": f"Bearer {make_token('patient-q3')}"}).json()
    asked = client.post("/api/chat", json={"text": "mijn been voelt raar", "procedure": "hernia"},
                        headers={"Authorization": f"Bearer {make_token('patient-q4')}"}).json()
    assert italian["escalation"] is None and asked["replies"][-1]["buttons"]
    login(client)
    queue = client.get("/nurse/").text
    order = [queue.index(conv) for conv in (suicidal, fever, asked["conversation_id"])]
    assert order == sorted(order), "suicidal thoughts first, a notice last"
    assert '<span class="cat" data-category="suicidal">suïcidale gedachten</span>' in queue
    assert '<span class="cat" data-category="other_language">andere taal</span>' in queue
    assert '<option value="red_flag_question">rode-vlagvraag gesteld</option>' in queue
    only = client.get("/nurse/", params={"category": "other_language"}).text
    assert italian["conversation_id"] in only and fever not in only
    page = client.get(f"/nurse/conversations/{asked['conversation_id']}").text
    assert "Rode-vlagvraag gesteld over krachtverlies/gevoelsverlies; antwoord van de patiënt: nog geen antwoord" in page
    assert "Markeer dit bericht" in page  # a notice does not stop a nurse from flagging the message as an alarm
    assert "taal van het bericht: it" in client.get(f"/nurse/conversations/{italian['conversation_id']}").text


def test_times_are_shown_on_the_hospitals_clock_and_date_filters_read_its_days(client, make_token):
    from datetime import datetime, timezone

    import sqlalchemy as sa

    from bot.store import flags, messages

    conv = alarm(client, make_token)
    summer = datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc)  # 00:30 on 2 July in Amsterdam (summer time, UTC+2)
    with engine(client).begin() as db:
        db.execute(sa.update(messages).where(messages.c.conversation_id == conv).values(created_at=summer))
        db.execute(sa.update(flags).where(flags.c.conversation_id == conv).values(created_at=summer))
    login(client)
    page = client.get(f"/nurse/conversations/{conv}").text
    assert "2026-07-02 00:30:00" in page and "22:30" not in page and " UTC" not in page
    queue = client.get("/nurse/", params={"status": "all", "since": "2026-07-02", "until": "2026-07-02"}).text
    assert f"/nurse/conversations/{conv}" in queue and "2026-07-02 00:30" in queue  # a flag of 2 July, Amsterdam time
    assert f"/nurse/conversations/{conv}" not in client.get("/nurse/", params={"status": "all", "until": "2026-07-01"}).text


def test_the_password_check_runs_in_a_worker_thread_not_on_the_event_loop(client, monkeypatch):
    import asyncio

    from bot import nurses

    seen = []
    real = nurses.Accounts.authenticate

    def authenticate(self, *args, **kwargs):
        try:
            asyncio.get_running_loop()
            seen.append("event loop")
        except RuntimeError:
            seen.append("worker thread")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(nurses.Accounts, "authenticate", authenticate)
    assert login(client, password="wrong").status_code == 401
    assert login(client).status_code == 303
    assert seen == ["worker thread", "worker thread"]


def test_the_queue_pages_shows_the_total_and_keeps_the_filters(client, make_token):
    store = client.app.state.chat.store
    made = []
    for i in range(review.PAGE_SIZE + 5):
        conv = store.create_conversation(f"patient-page-{i}", "hernia")
        message = store.add_message(conv.id, "patient", "ik heb koorts")
        store.flag(conv.id, message, ["fever"], [{"category": "fever", "start": 7, "end": 13, "text": "koorts", "layer": "red_flag"}])
        made.append(conv.id)
    login(client)
    first = client.get("/nurse/", params={"category": "fever"})
    assert f"{review.PAGE_SIZE + 5} gesprekken" in first.text and "Pagina 1 van 2" in first.text
    assert first.text.count("/nurse/conversations/") == review.PAGE_SIZE and 'rel="prev"' not in first.text
    next_link = re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
    assert "category=fever" in next_link and "page=2" in next_link
    second = client.get(next_link)
    assert "Pagina 2 van 2" in second.text and second.text.count("/nurse/conversations/") == 5 and 'rel="next"' not in second.text
    shown = set(re.findall(r"/nurse/conversations/([0-9a-f]+)", first.text + second.text))
    assert shown == set(made)  # every conversation on one of the pages
    assert "Pagina 2 van 2" in client.get("/nurse/", params={"page": "999999999"}).text  # past the end: the last page
    searches = [e.details for e in audit.entries(engine(client)) if e.action == "queue_search"]
    assert {"results": review.PAGE_SIZE + 5, "page": 2}.items() <= searches[1].items()


def test_after_a_reset_every_page_leads_to_the_password_page_until_a_new_one_is_chosen(client, make_token):
    accounts = Accounts(engine(client))
    accounts.reset_password("anna", "tijdelijk wachtwoord 42")
    response = login(client, password="tijdelijk wachtwoord 42")
    assert response.status_code == 303 and response.headers["location"] == "/nurse/password"
    for path in ("/nurse/", "/nurse/conversations/x"):
        assert client.get(path).headers["location"] == "/nurse/password"
    page = client.get("/nurse/password")
    assert page.status_code == 200 and "Kies nu een eigen wachtwoord" in page.text
    token = csrf(page.text)
    mismatch = client.post("/nurse/password", data={"current": "tijdelijk wachtwoord 42", "new": "een nieuw lang wachtwoord",
                                                    "repeat": "een ander lang wachtwoord", "csrf_token": token})
    assert mismatch.status_code == 400 and "De twee nieuwe wachtwoorden zijn niet gelijk." in mismatch.text
    weak = client.post("/nurse/password", data={"current": "tijdelijk wachtwoord 42", "new": "kort", "repeat": "kort", "csrf_token": token})
    assert weak.status_code == 400 and "te kort" in weak.text
    wrong = client.post("/nurse/password", data={"current": "niet het wachtwoord", "new": "een nieuw lang wachtwoord",
                                                 "repeat": "een nieuw lang wachtwoord", "csrf_token": token})
    assert wrong.status_code == 400 and "Het huidige wachtwoord klopt niet." in wrong.text
    done = client.post("/nurse/password", data={"current": "tijdelijk wachtwoord 42", "new": "een nieuw lang wachtwoord",
                                                "repeat": "een nieuw lang wachtwoord", "csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/nurse/"
    assert client.get("/nurse/").status_code == 200
    assert [a for _, a, _, _ in actions(client)][-2:] == ["password_change", "queue_search"]
    client.cookies.clear()
    assert login(client, password="een nieuw lang wachtwoord").headers["location"] == "/nurse/"


def test_a_nurse_changes_her_own_password_from_any_page(client):
    login(client)
    queue = client.get("/nurse/")
    assert 'href="/nurse/password"' in queue.text
    done = client.post("/nurse/password", data={"current": PASSWORD, "new": "een nieuw lang wachtwoord", "repeat": "een nieuw lang wachtwoord",
                                                "csrf_token": csrf(queue.text)})
    assert done.status_code == 200 and "Het wachtwoord is gewijzigd." in done.text
    no_csrf = client.post("/nurse/password", data={"current": "een nieuw lang wachtwoord", "new": PASSWORD + "x", "repeat": PASSWORD + "x"})
    assert no_csrf.status_code == 403


def test_with_a_second_factor_the_login_needs_the_apps_code(client):
    import time

    import pyotp

    uri = Accounts(engine(client)).enroll_second_factor("anna")
    code = pyotp.parse_uri(uri).at(time.time())
    page = client.get("/nurse/login")
    assert 'autocomplete="one-time-code"' in page.text
    without = client.post("/nurse/login", data={"username": "anna", "password": PASSWORD, "csrf_token": csrf(page.text)})
    assert without.status_code == 401 and "Gebruikersnaam, wachtwoord of code onjuist" in without.text
    page = client.get("/nurse/login")
    ok = client.post("/nurse/login", data={"username": "anna", "password": PASSWORD, "code": code, "csrf_token": csrf(page.text)})
    assert ok.status_code == 303 and ok.headers["location"] == "/nurse/"
    reasons = [e.details.get("why") for e in reversed(audit.entries(engine(client))) if e.action == "login_failed"]
    assert reasons == ["totp_missing"]


def test_when_the_second_factor_is_required_an_account_without_one_cannot_log_in(tmp_path):
    with TestClient(make_app(tmp_path, staff_second_factor=True), follow_redirects=False) as strict:
        Accounts(strict.app.state.chat.store.engine).create("anna", PASSWORD)
        assert login(strict).status_code == 401
        assert [e.details.get("why") for e in audit.entries(strict.app.state.chat.store.engine) if e.action == "login_failed"] == ["totp_not_enrolled"]


def test_disabling_an_account_ends_its_open_session_at_once(client):
    login(client)
    assert client.get("/nurse/").status_code == 200
    Accounts(engine(client)).disable("anna")
    assert client.get("/nurse/").headers["location"] == "/nurse/login"
    assert login(client).status_code == 401
