"""Schemathesis against the running API's own OpenAPI schema (the real stack: API, Rasa, actions):
valid and invalid data (positive and negative modes), with a valid token, with a forged one and
with whatever Authorization header schemathesis makes up. No 5xx, and every response conforms to
the schema: documented status code, content type and body."""
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.stack

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance, negative_data_rejection]


@pytest.fixture
def api_schema(stack):
    schema = schemathesis.openapi.from_url(f"{stack.api_url}/openapi.json", timeout=10)
    schema.config.generation.update(modes=["positive", "negative"])
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


FUZZ = settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def call(case, stack, headers):
    case.call_and_validate(base_url=stack.api_url, headers=headers, checks=CHECKS, timeout=30)


@schema.parametrize()
@FUZZ
def test_with_a_valid_token(case, stack, make_token):
    # A fresh patient for each call: the rate limit would otherwise leave most calls unanswered.
    call(case, stack, {"Authorization": f"Bearer {make_token(f'fuzz-{uuid.uuid4().hex[:12]}')}"})


@schema.parametrize()
@FUZZ
def test_with_a_forged_token(case, stack, make_token):
    call(case, stack, {"Authorization": f"Bearer {make_token('fuzz-forged', secret='forged-secret-forged-secret-forged!!')}"})


@schema.parametrize()
@FUZZ
def test_with_the_authorization_schemathesis_makes_up(case, stack):
    call(case, stack, None)


def test_docs_and_schema_are_served(stack):
    import httpx

    docs = httpx.get(f"{stack.api_url}/docs", timeout=10)
    assert docs.status_code == 200 and "swagger-ui" in docs.text and "/openapi.json" in docs.text
    spec = httpx.get(f"{stack.api_url}/openapi.json", timeout=10).json()
    assert set(spec["paths"]) >= {"/api/chat", "/api/conversations/{conversation_id}", "/api/health"}
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert {"200", "400", "401", "404", "413", "415", "422", "429"} <= set(spec["paths"]["/api/chat"]["post"]["responses"])
    assert {"notice", "refused"} <= set(spec["components"]["schemas"]["ChatResponse"]["properties"])
