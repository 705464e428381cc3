"""An API URL that matches no route still answers in the API's JSON shape (DRF never sees it)."""

from __future__ import annotations

import pytest
from django.test import Client

from jurisdictions.models import Role
from tests.conftest import client_for


@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-thing/", "/api/v1/security-events/1.2/", "/api/v1/projects/1/nothing/", "/api/v2/"],
)
def test_unrouted_api_urls_answer_json_404(alpha, path):
    response = client_for(alpha.users[Role.AUDITOR]).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "detail": "未找到。"}


def test_pages_keep_the_chinese_404_page(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
