"""Schemathesis against the OpenAPI schema, in process (WSGI): every operation gets a bounded
number of generated requests, with a read/write token of region A's admin, and every answer
must be no server error and must match what the schema documents (status, content type, body).

The region code of generated paths is region A's (random codes only ever reach the 404 branch);
ids and bodies are generated, so most writes are refused by the forms — which is the point:
no input may crash the API or answer outside its documented shapes."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lumbung.assessment.tests.factories import enter, open_assessment
from lumbung.core.roles import Role
from lumbung.innovations.tests.factories import InnovationFactory, ProgrammeFactory

from .conftest import make_token

# Per operation; about 20 operations: a few hundred requests in all.
EXAMPLES = 12

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_connection():
    """Requests go through the real WSGI handler, whose request_finished signal closes the
    database connection, and with it the test's transaction on PostgreSQL; Django's test client
    detaches the same receiver for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(world, keep_connection):
    admin = world.user(Role.ADMIN)
    InnovationFactory(region=world.region, unit=world.unit, status="published", created_by=admin)
    InnovationFactory(region=world.region, unit=world.unit, created_by=admin)
    ProgrammeFactory(region=world.region, created_by=admin)
    assessment = open_assessment(world.region, admin)
    enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
    _token, raw = make_token(admin, world.region)
    return world, raw


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case, api_world):
    world, raw = api_world
    if "region_code" in (case.path_parameters or {}):
        case.path_parameters["region_code"] = world.region.code
    # identity: the page compression would otherwise gzip the JSON, which the WSGI transport
    # hands over undecoded.
    headers = {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)
