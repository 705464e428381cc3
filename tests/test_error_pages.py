"""Friendly Chinese error pages (400, 403, 404, 500 and the CSRF failure) when DEBUG is off.

The test settings run with DEBUG off, so these responses come from Django's own handlers and
our templates, as in production. A view that fails is added by this module's URLconf.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from govproj.urls import urlpatterns as project_urlpatterns


def _refuse(request):
    raise PermissionDenied("not yours")


def _crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    *project_urlpatterns,
    path("test-errors/403/", _refuse),
    path("test-errors/500/", _crash),
]


def _page(response) -> str:
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return response.content.decode()


@pytest.mark.django_db
def test_404_is_a_chinese_page(client):
    page = _page(response := client.get("/no-such-page/"))
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in page
    assert "页面不存在" in page and "返回首页" in page


@pytest.mark.django_db
def test_400_for_a_host_we_do_not_serve_is_a_chinese_page(client):
    page = _page(response := client.get("/accounts/login/", HTTP_HOST="evil.example"))
    assert response.status_code == 400
    assert "请求有误" in page and "请检查网址或表单" in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_403_is_a_chinese_page(client):
    page = _page(response := client.get("/test-errors/403/"))
    assert response.status_code == 403
    assert "无权访问" in page and "本级管理员" in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_500_is_a_chinese_page_that_needs_no_request_context():
    client = Client(raise_request_exception=False)
    page = _page(response := client.get("/test-errors/500/"))
    assert response.status_code == 500
    assert '<html lang="zh-hans">' in page
    assert "服务器出错" in page and "已记录在案" in page
    assert 'href="/"' in page  # the home link, resolved without a request


@pytest.mark.django_db
def test_a_stale_form_gets_a_chinese_csrf_page():
    client = Client(enforce_csrf_checks=True)
    page = _page(response := client.post("/accounts/login/", {"username": "x", "password": "y"}))
    assert response.status_code == 403
    assert "页面已过期" in page and "刷新页面" in page
