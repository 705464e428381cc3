"""The documents section and its pages: upload, a refusal that says why and keeps the input, reject."""

from __future__ import annotations

from django.test import Client

from jurisdictions.models import Role
from projects.documents.models import ProjectDocument
from projects.models import AuditEvent
from tests.conftest import make_project
from tests.projects.documents import files


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_upload(client, project, name="项目建议书.pdf", content=files.PDF, code="proposal", note="第一稿"):
    return client.post(
        f"/projects/{project.pk}/documents/upload/",
        {"document-code": code, "document-file": files.upload(name, content), "document-note": note},
    )


def test_staff_upload_on_the_project_page_and_see_it_on_the_checklist(alpha):
    project = make_project(alpha, facts={})
    staff = browser(alpha.users[Role.DEPARTMENT_STAFF])
    page = staff.get(f"/projects/{project.pk}/")
    assert b'enctype="multipart/form-data"' in page.content

    response = post_upload(staff, project)

    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/#documents"
    page = staff.get(f"/projects/{project.pk}/").content.decode()
    assert "项目建议书.pdf" in page
    assert "第八条" in page  # the article of the stage's rule
    assert 'class="document-on_file"' in page and 'class="document-missing"' in page
    section = page.split('id="documents"')[1].split("</section>")[0]
    assert "申报材料" in section  # the stage by its title, never its rule id or a document code
    assert "intake.declaration_documents" not in section
    assert ">proposal<" not in section


def test_a_refused_type_says_why_and_keeps_the_other_input(alpha):
    project = make_project(alpha)
    staff = browser(alpha.users[Role.DEPARTMENT_STAFF])

    response = post_upload(staff, project, content=files.EXE, code="fsr", note="请查收")

    assert response.status_code == 400
    text = response.content.decode()
    assert "PDF, OFD" in text or "PDF、OFD" in text  # which types are accepted
    assert 'value="请查收"' in text
    assert '<option value="fsr" selected>' in text
    assert not ProjectDocument.objects.exists()


def test_download_through_the_page_is_checked(alpha, beta):
    project = make_project(alpha)
    post_upload(browser(alpha.users[Role.DEPARTMENT_STAFF]), project)
    document = ProjectDocument.objects.get()
    url = f"/projects/{project.pk}/documents/{document.pk}/download/"
    response = browser(alpha.users[Role.REVIEWER]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == files.PDF
    assert browser(beta.users[Role.REVIEWER]).get(url).status_code == 404
    assert browser(alpha.other_staff).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_reject_asks_for_a_reason_on_a_confirmation_page(alpha):
    project = make_project(alpha)
    post_upload(browser(alpha.users[Role.DEPARTMENT_STAFF]), project)
    document = ProjectDocument.objects.get()
    reviewer = browser(alpha.users[Role.REVIEWER])
    detail = reviewer.get(f"/projects/{project.pk}/").content.decode()
    url = f"/projects/{project.pk}/documents/{document.pk}/reject/"
    assert url in detail

    assert reviewer.get(url).status_code == 200
    assert reviewer.post(url, {"reason": ""}).status_code == 400
    assert not ProjectDocument.objects.get().is_rejected
    response = reviewer.post(url, {"reason": "签章缺失"})

    assert response.status_code == 302
    assert ProjectDocument.objects.get().rejection_reason == "签章缺失"
    assert AuditEvent.objects.filter(action="document_reject").count() == 1
    staff_page = browser(alpha.users[Role.DEPARTMENT_STAFF]).get(f"/projects/{project.pk}/").content.decode()
    assert "签章缺失" in staff_page  # staff see why


def test_staff_see_no_reject_link_and_cannot_reject(alpha):
    project = make_project(alpha)
    staff = browser(alpha.users[Role.DEPARTMENT_STAFF])
    post_upload(staff, project)
    document = ProjectDocument.objects.get()
    url = f"/projects/{project.pk}/documents/{document.pk}/reject/"
    assert url not in staff.get(f"/projects/{project.pk}/").content.decode()
    assert staff.post(url, {"reason": "自己退回"}).status_code == 403
    assert not ProjectDocument.objects.get().is_rejected
