"""The OpenAPI schema tells the truth: errors, pagination, nullable fields and the fact vocabulary."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from jurisdictions.models import Role
from jurisdictions.rules.facts import FACTS, FactType
from tests.conftest import client_for, make_project


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_documents_the_error_responses(schema):
    for path, method, operation in _operations(schema):
        expected = {"400", "401", "403", "404", "429"} | ({"409"} if method != "get" else set())
        assert expected <= set(operation["responses"]), (method, path)
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "detail"]


def test_the_fact_vocabulary_is_in_the_schema_with_its_types(schema):
    components = schema["components"]["schemas"]
    facts = components["Facts"]
    assert set(facts["properties"]) == set(FACTS) and facts["additionalProperties"] is False
    types = {
        FactType.BOOLEAN: "boolean",
        FactType.DATE: "string",
        FactType.DECIMAL: "string",
        FactType.STRING: "string",
        FactType.STRING_SET: "array",
        FactType.BOOLEAN_MAP: "object",
        FactType.INTEGER: "integer",
    }
    for name, (kind, _meaning) in FACTS.items():
        assert facts["properties"][name]["type"] == types[kind], name
        assert facts["properties"][name]["nullable"] is True
    assert facts["properties"]["approval_date"]["format"] == "date"
    assert set(components["StoredFacts"]["properties"]) == set(FACTS)
    refs = [
        components["EvaluateRequestRequest"]["properties"]["facts"],
        components["ProjectCreateRequest"]["properties"]["facts"],
        components["PatchedProjectUpdateRequest"]["properties"]["facts"],
        components["Project"]["properties"]["facts"],
    ]
    assert all("Facts" in str(ref) for ref in refs)


def test_nullable_fields_are_marked_nullable(schema):
    components = schema["components"]["schemas"]
    assert components["Project"]["properties"]["rule_pack"]["nullable"] is True
    assert components["AuditEvent"]["properties"]["rule_pack"]["nullable"] is True
    assert components["Jurisdiction"]["properties"]["parent"]["nullable"] is True
    assert components["RulePackVersion"]["properties"]["effective_to"]["nullable"] is True


def test_project_edits_document_if_match_etag_and_412(schema):
    for path, method in [("/api/v1/projects/{id}/", "patch"), ("/api/v1/projects/{id}/transitions/", "post")]:
        operation = schema["paths"][path][method]
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"])
        assert "412" in operation["responses"] and "ETag" in operation["responses"]["200"]["headers"]


@pytest.mark.django_db
def test_events_are_paginated_as_the_schema_says(schema, alpha):
    response_schema = schema["paths"]["/api/v1/projects/{id}/events/"]["get"]["responses"]["200"]
    assert response_schema["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaginatedAuditEventList"
    )
    parameters = {p["name"] for p in schema["paths"]["/api/v1/projects/{id}/events/"]["get"]["parameters"]}
    assert parameters == {"id", "page"}
    project = make_project(alpha)
    body = client_for(alpha.users[Role.REVIEWER]).get(f"/api/v1/projects/{project.pk}/events/").json()
    assert body["count"] == 1 and body["next"] is None and body["results"][0]["action"] == "create"
