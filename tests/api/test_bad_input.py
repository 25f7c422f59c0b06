"""Bad input on the chat API: every kind gets a clear 4xx JSON error (never a 5xx or an HTML page),
and what was stored before is still there. A message refused for its content (too long, control
characters) is stored and triaged all the same, and answered 200 with a Dutch `notice`.

The real app on a real SQLite file; Rasa is not needed here (nothing listens on its port, so a
valid message gets the fail-safe reply).
"""
import base64
import hashlib
import hmac
import json
import logging
import sqlite3
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from api.main import create_app
from bot import texts
from bot.settings import Settings
from bot.stack import free_port
from tests.conftest import TEST_SECRET

OWNER = "patient-bad-input"


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "app.db"


@pytest.fixture
def client(db_path):
    settings = Settings(
        app_env="test", portal_jwt_secret=TEST_SECRET, database_url=f"sqlite:///{db_path}",
        rasa_url=f"http://127.0.0.1:{free_port()}", rasa_timeout_seconds=2, rate_limit_per_minute=1000,
    )
    with TestClient(create_app(settings)) as c:
        yield c


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def transcript(client, token, conversation_id):
    response = client.get(f"/api/conversations/{conversation_id}", headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()["messages"]


@pytest.fixture
def stored(client, make_token):
    """A conversation with one exchange already stored: what no bad request may lose."""
    token = make_token(OWNER)
    response = client.post("/api/chat", json={"text": "mag ik douchen na de bloedpatch?", "procedure": "bloedpatch"}, headers=auth(token))
    assert response.status_code == 200, response.text
    conv = response.json()["conversation_id"]
    before = transcript(client, token, conv)
    assert [m["sender"] for m in before] == ["patient", "bot"]
    return token, conv, before


def assert_json_error(response, status, detail_part):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and detail_part in body["detail"], body
    return body


def assert_stored_not_answered(response, refused, detail_part):
    """A message stored and triaged but not answered: 200 (a portal may drop a 4xx body and with it
    the contact advice), the contract's fields, and why (``notice`` in Dutch, ``refused``, ``detail``)."""
    body = assert_json_error(response, 200, detail_part)
    assert body["refused"] == refused and body["notice"] == body["replies"][-1]["text"]
    return body


def raw_jwt(header, claims, secret=TEST_SECRET):
    """A token built by hand, so claims PyJWT would refuse to encode can be sent too."""
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    signing_input = f"{part(header)}.{part(claims)}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


# --- not stored: the request never became a message -------------------------------------------

BODIES = {
    "invalid UTF-8": (b'{"text": "koorts \xff\xfe"}', "application/json", 400, "not valid JSON in UTF-8"),
    "truncated JSON": (b'{"text": "koorts', "application/json", 422, "not valid JSON"),
    "trailing garbage": (b'{"text": "hallo"} extra', "application/json", 422, "not valid JSON"),
    "JSON array": (b'["hallo"]', "application/json", 422, "not a valid dict"),
    "JSON string": (b'"hallo"', "application/json", 422, "not a valid dict"),
    "empty body": (b"", "application/json", 422, "field required"),
    "NaN as text": (b'{"text": NaN}', "application/json", 422, "str type expected"),
    "text as text/plain": (b'{"text": "hallo"}', "text/plain", 415, "application/json"),
    "form instead of JSON": (b"text=hallo", "application/x-www-form-urlencoded", 415, "application/json"),
}


@pytest.mark.parametrize("name", BODIES)
def test_malformed_bodies_get_a_json_4xx_and_lose_nothing(client, stored, name):
    token, conv, before = stored
    content, content_type, status, detail = BODIES[name]
    response = client.post("/api/chat", content=content, headers={**auth(token), "Content-Type": content_type})
    assert_json_error(response, status, detail)
    assert transcript(client, token, conv) == before


FIELDS = {
    "text missing": ({}, "text: field required"),
    "text null": ({"text": None}, "text: none is not an allowed value"),
    "text number": ({"text": 38}, "text: str type expected"),
    "text list": ({"text": ["koorts"]}, "text: str type expected"),
    "text object": ({"text": {"nl": "koorts"}}, "text: str type expected"),
    "text boolean": ({"text": True}, "text: str type expected"),
    "conversation id number": ({"text": "hallo", "conversation_id": 5}, "conversation_id: str type expected"),
    "conversation id with a path": ({"text": "hallo", "conversation_id": "../etc/passwd"}, "conversation_id: string does not match regex"),
    "conversation id too long": ({"text": "hallo", "conversation_id": "a" * 65}, "conversation_id: ensure this value has at most 64 characters"),
    "unknown procedure": ({"text": "hallo", "procedure": "knie"}, "procedure: unexpected value"),
    "procedure number": ({"text": "hallo", "procedure": 3}, "procedure: unexpected value"),
    "unknown field": ({"text": "hallo", "patient_id": "someone-else"}, "patient_id: extra fields not permitted"),
}


@pytest.mark.parametrize("name", FIELDS)
def test_wrong_types_and_unknown_fields_get_422_and_lose_nothing(client, stored, name):
    token, conv, before = stored
    body, detail = FIELDS[name]
    if "conversation_id" not in body:
        body = {"conversation_id": conv, **body}
    body = assert_json_error(client.post("/api/chat", json=body, headers=auth(token)), 422, detail)
    assert body["errors"] and all(set(e) == {"loc", "msg"} for e in body["errors"])
    assert transcript(client, token, conv) == before


@pytest.mark.parametrize("text", ["", "   ", " \n\t\r ", "\x00\x07", "\x1b\x7f"])
def test_empty_text_gets_422_and_nothing_is_stored(client, stored, text):
    token, conv, before = stored
    response = client.post("/api/chat", json={"text": text, "conversation_id": conv}, headers=auth(token))
    assert_json_error(response, 422, "text is empty")
    assert transcript(client, token, conv) == before


def test_a_body_over_the_request_size_cap_gets_413_unread(client, stored):
    token, conv, before = stored
    big = json.dumps({"text": "ik heb 39 graden koorts " * 4000, "conversation_id": conv}).encode()
    assert len(big) > client.app.state.settings.max_request_bytes
    response = client.post("/api/chat", content=big, headers={**auth(token), "Content-Type": "application/json"})
    assert_json_error(response, 413, "larger than 65536 bytes")
    # Without a Content-Length (chunked), it is counted while it streams in.
    chunks = (big[i:i + 8192] for i in range(0, len(big), 8192))
    response = client.post("/api/chat", content=chunks, headers={**auth(token), "Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_json_error(response, 413, "larger than 65536 bytes")
    assert transcript(client, token, conv) == before


def _rs256_token():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode({"sub": OWNER, "exp": int(time.time()) + 600}, key, algorithm="RS256")


TOKENS = {
    "no header": lambda make: None,
    "basic auth": lambda make: "Basic " + base64.b64encode(b"patient:secret").decode(),
    "empty bearer": lambda make: "Bearer ",
    "not a JWT": lambda make: "Bearer not-a-jwt",
    "expired": lambda make: "Bearer " + make(OWNER, expires_in=-120),
    "forged (other secret)": lambda make: "Bearer " + make(OWNER, secret="forged-secret-forged-secret-forged!!"),
    "alg none": lambda make: "Bearer " + jwt.encode({"sub": OWNER, "exp": int(time.time()) + 600}, None, algorithm="none"),
    "alg HS512 with the right secret": lambda make: "Bearer " + jwt.encode({"sub": OWNER, "exp": int(time.time()) + 600}, TEST_SECRET, algorithm="HS512"),
    "alg RS256 (other key)": lambda make: "Bearer " + _rs256_token(),
    "no sub": lambda make: "Bearer " + raw_jwt({"alg": "HS256", "typ": "JWT"}, {"exp": int(time.time()) + 600}),
    "empty sub": lambda make: "Bearer " + raw_jwt({"alg": "HS256", "typ": "JWT"}, {"sub": " ", "exp": int(time.time()) + 600}),
    "sub not a string": lambda make: "Bearer " + raw_jwt({"alg": "HS256", "typ": "JWT"}, {"sub": 12345, "exp": int(time.time()) + 600}),
    "sub too long": lambda make: "Bearer " + make("p" * 129),
    "sub with a control character": lambda make: "Bearer " + make("patient\x00-1"),
    "no exp": lambda make: "Bearer " + raw_jwt({"alg": "HS256", "typ": "JWT"}, {"sub": OWNER}),
}


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the HS512 token, on purpose
@pytest.mark.parametrize("name", TOKENS)
def test_missing_and_invalid_tokens_get_401_and_lose_nothing(client, stored, make_token, name):
    token, conv, before = stored
    header = TOKENS[name](make_token)
    headers = {"Authorization": header} if header else {}
    for response in (
        client.post("/api/chat", json={"text": "ik heb 39 graden koorts", "conversation_id": conv}, headers=headers),
        client.get(f"/api/conversations/{conv}", headers=headers),
    ):
        assert_json_error(response, 401, "token")
        assert response.headers["www-authenticate"] == "Bearer"
    assert transcript(client, token, conv) == before


@pytest.mark.parametrize(
    "conversation_id, status",
    [("0" * 32, 404), ("a.b", 422), ("x" * 65, 422), ("%00", 422), ("%C3%A9t%C3%A9", 422), ("a%20b", 422)],
)
def test_bad_path_ids_get_a_json_4xx(client, stored, conversation_id, status):
    token, conv, before = stored
    response = client.get(f"/api/conversations/{conversation_id}", headers=auth(token))
    assert_json_error(response, status, "not found" if status == 404 else "conversation_id")
    assert transcript(client, token, conv) == before


def test_unknown_routes_and_methods_get_json_not_html(client):
    assert_json_error(client.get("/api/nothing-here"), 404, "Not Found")
    assert_json_error(client.put("/api/chat", json={"text": "hallo"}), 405, "Method Not Allowed")


# --- another patient ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["hallo, ik ben het", "ik heb 39 graden koorts " * 100, "koorts\x00 39"])
def test_another_patients_token_gets_404_and_adds_nothing(client, stored, make_token, text):
    token, conv, before = stored
    other = make_token("patient-someone-else")
    response = client.post("/api/chat", json={"text": text, "conversation_id": conv}, headers=auth(other))
    assert_json_error(response, 404, "conversation not found")
    assert_json_error(client.get(f"/api/conversations/{conv}", headers=auth(other)), 404, "conversation not found")
    assert transcript(client, token, conv) == before
    assert client.app.state.chat.store.flags_for(conv) == []


# --- refused for its content, but stored, triaged and answered 200 with a notice ------------------------------------------

def test_control_characters_are_refused_but_the_message_is_stored_and_triaged(client, stored):
    token, conv, before = stored
    response = client.post("/api/chat", json={"text": "ik heb 39\x00graden koorts\x1b[0m", "conversation_id": conv}, headers=auth(token))
    body = assert_stored_not_answered(response, "control_characters", "control characters")
    assert body["conversation_id"] == conv and body["sources"] == []
    assert body["escalation"]["reasons"] == ["fever"]
    assert "direct contact" in body["replies"][0]["text"]
    assert body["replies"][-1]["text"] == texts.get("control_characters")
    after = transcript(client, token, conv)
    assert after[:2] == before
    assert after[2] == {**after[2], "sender": "patient", "text": "ik heb 39 graden koorts [0m"}
    assert after[3]["sender"] == "bot" and after[3]["escalation"]["reasons"] == ["fever"]
    assert client.app.state.chat.store.flags_for(conv)[0]["categories"] == ["fever"]


@pytest.mark.parametrize(
    "raw, stored_text",
    [
        (b'{"text": "hoofdpijn \\ud800 na de prik"}', "hoofdpijn \ufffd na de prik"),  # lone surrogate as a JSON escape
        (b'{"text": "hoofdpijn \xed\xa0\x80 na de prik"}', "hoofdpijn \ufffd na de prik"),  # UTF-8-encoded surrogate
        ('{"text": "hoofdpijn \u0085 na \u009b de prik"}'.encode(), "hoofdpijn   na   de prik"),  # C1 controls
    ],
)
def test_unstorable_characters_are_refused_and_a_sanitised_copy_is_kept(client, stored, raw, stored_text):
    token, conv, before = stored
    content = raw.replace(b"{", b'{"conversation_id": "' + conv.encode() + b'", ', 1)
    response = client.post("/api/chat", content=content, headers={**auth(token), "Content-Type": "application/json"})
    body = assert_stored_not_answered(response, "control_characters", "control characters")
    assert body["escalation"] is None and body["replies"] == [{"text": texts.get("control_characters")}]
    after = transcript(client, token, conv)
    assert after[:2] == before and after[2]["text"] == stored_text and after[3]["sender"] == "bot"


def test_line_breaks_and_tabs_are_ordinary_text(client, stored):
    token, conv, _ = stored
    text = "Goedemorgen,\r\n\tik heb een vraag.\nMag ik fietsen?"
    response = client.post("/api/chat", json={"text": text, "conversation_id": conv}, headers=auth(token))
    assert response.status_code == 200, response.text
    assert transcript(client, token, conv)[2]["text"] == text


def test_a_too_long_message_is_refused_stored_and_the_transcript_extended(client, stored):
    token, conv, before = stored
    text = "Het gaat goed met mij en ik heb geen klachten. " * 60
    response = client.post("/api/chat", json={"text": text, "conversation_id": conv}, headers=auth(token))
    body = assert_stored_not_answered(response, "too_long", "longer than 2000 characters")
    assert body["replies"] == [{"text": texts.get("too_long", limit=2000)}]
    after = transcript(client, token, conv)
    assert after[:2] == before and after[2]["text"] == text.strip() and len(after) == 4


# --- HTML, the procedure claim ----------------------------------------------------------------

def test_html_is_stored_and_returned_verbatim_as_text(client, stored):
    token, conv, _ = stored
    html = "<script>alert('x')</script><img src=x onerror=alert(1)> <b>Mag</b> ik &amp; douchen?"
    response = client.post("/api/chat", json={"text": html, "conversation_id": conv}, headers=auth(token))
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    got = client.get(f"/api/conversations/{conv}", headers=auth(token))
    assert got.headers["content-type"] == "application/json"
    assert got.json()["messages"][2]["text"] == html  # not escaped, not stripped: the widget shows it as text
    assert html in got.content.decode()


def test_the_procedure_claim_is_used_when_the_body_has_none(client, make_token):
    token = make_token("patient-claim", procedure="wortelinfiltratie")
    body = client.post("/api/chat", json={"text": "mijn been is sinds gisteren slap en krachteloos"}, headers=auth(token)).json()
    assert body["escalation"]["contact"]["phone"] == "015 89 22 50"  # the wortelinfiltratie department
    assert client.app.state.chat.store.get_conversation(body["conversation_id"]).procedure == "wortelinfiltratie"
    # The body's procedure wins over the claim.
    body = client.post("/api/chat", json={"text": "hallo", "procedure": "bloedpatch"}, headers=auth(token)).json()
    assert client.app.state.chat.store.get_conversation(body["conversation_id"]).procedure == "bloedpatch"


def test_a_procedure_claim_that_is_not_text_is_ignored(client):
    token = raw_jwt({"alg": "HS256", "typ": "JWT"}, {"sub": "patient-odd-claim", "iat": int(time.time()), "exp": int(time.time()) + 600, "procedure": ["hernia", 5]})
    response = client.post("/api/chat", json={"text": "hallo"}, headers=auth(token))
    assert response.status_code == 200, response.text
    assert client.app.state.chat.store.get_conversation(response.json()["conversation_id"]).procedure is None


# --- an unexpected failure --------------------------------------------------------------------

def test_an_unexpected_failure_is_a_json_500_without_internals_or_patient_words(client, stored, db_path, caplog):
    token, conv, before = stored
    secret_words = "Zwiebelkuchen-geheim-4711"
    # A real database failure: SQLite refuses new messages (the error text carries the SQL parameters).
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    caplog.set_level(logging.INFO)
    response = client.post("/api/chat", json={"text": f"{secret_words} heeft koorts", "conversation_id": conv}, headers=auth(token))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "internal server error"}
    assert "unhandled IntegrityError on POST /api/chat" in caplog.text
    assert secret_words not in caplog.text and "INSERT" not in caplog.text and OWNER not in caplog.text
    with sqlite3.connect(db_path) as db:
        db.execute("DROP TRIGGER refuse")
    assert transcript(client, token, conv) == before


def _claims_token(claims):
    return raw_jwt({"alg": "HS256", "typ": "JWT"}, claims)


def test_tokens_need_iat_a_bounded_lifetime_and_when_configured_the_audience_and_issuer(tmp_path):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from bot.settings import Settings

    now = int(time.time())
    settings = Settings(app_env="test", portal_jwt_secret=TEST_SECRET, database_url=f"sqlite:///{tmp_path / 'app.db'}",
                        rasa_url="http://127.0.0.1:9", rasa_timeout_seconds=1, portal_jwt_audience="spine-chat",
                        portal_jwt_issuer="https://portal.example.nl", portal_jwt_max_lifetime_seconds=3600)
    good = {"sub": "patient-claims", "iat": now, "exp": now + 600, "aud": "spine-chat", "iss": "https://portal.example.nl"}
    refused = {
        "no iat": {k: v for k, v in good.items() if k != "iat"},
        "iat in the future": {**good, "iat": now + 3600, "exp": now + 4000},
        "lives too long": {**good, "exp": now + 7200},
        "no aud": {k: v for k, v in good.items() if k != "aud"},
        "other aud": {**good, "aud": "another-api"},
        "no iss": {k: v for k, v in good.items() if k != "iss"},
        "other iss": {**good, "iss": "https://evil.example"},
    }
    with TestClient(create_app(settings)) as client:
        assert client.post("/api/chat", json={"text": "hallo"}, headers=auth(_claims_token(good))).status_code == 200
        for name, claims in refused.items():
            response = client.post("/api/chat", json={"text": "hallo"}, headers=auth(_claims_token(claims)))
            assert response.status_code == 401, name
