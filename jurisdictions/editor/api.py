"""API doors onto the rule-pack editor: a jurisdiction admin's draft, its edits, publication; exports.

Each view parses the body, calls one service (jurisdictions.editor.services) and answers with the
draft or the version. The services raise the errors (400 naming the field, 403 a member who is not
the admin, 404 another tenant's, 409 a stale revision or a closed draft). Exports of published
versions are for every member; drafts are the admins' business.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView, valid
from govproj.errors import NotFound
from jurisdictions.editor import selectors, services
from jurisdictions.editor.serializers import (
    DiscardBodySerializer,
    DraftOpenSerializer,
    DraftSerializer,
    PublishBodySerializer,
    RuleBodySerializer,
    RuleSwitchSerializer,
    SectionBodySerializer,
    YamlBodySerializer,
)
from jurisdictions.editor.views import export_response
from jurisdictions.rules.schema import dump_pack_text
from jurisdictions.selectors import jurisdiction_for
from jurisdictions.serializers import RulePackVersionSerializer

YAML_RESPONSE = {
    # The body is YAML text whose document is a mapping (the pack): clients that read YAML get an object.
    (200, "application/yaml"): OpenApiResponse(OpenApiTypes.OBJECT, description="the pack as YAML"),
}


def _draft_answer(draft, code: int = status.HTTP_200_OK) -> Response:
    return Response(DraftSerializer(draft).data, status=code)


class DraftOpenView(ServiceAPIView):
    @extend_schema(responses=DraftSerializer)
    def get(self, request: Request, code: str) -> Response:
        """The jurisdiction's open draft (404 when there is none)."""
        jurisdiction = selectors.editable_jurisdiction(request.user, code)
        draft = selectors.open_draft(jurisdiction)
        if draft is None:
            raise NotFound(extra={"jurisdiction": code})
        return _draft_answer(draft)

    @extend_schema(
        request=DraftOpenSerializer,
        responses={201: DraftSerializer, 200: OpenApiResponse(DraftSerializer, description="the open draft")},
    )
    def post(self, request: Request, code: str) -> Response:
        """Open a draft copied from the version in force (201), or continue the open one (200)."""
        jurisdiction = selectors.editable_jurisdiction(request.user, code)
        data = valid(DraftOpenSerializer(data=request.data))
        existing = selectors.open_draft(jurisdiction)
        draft = services.draft_open(
            actor=request.user, code=code, successor=data["successor"], request=request
        )
        created = existing is None or existing.pk != draft.pk
        return _draft_answer(
            selectors.draft_for(request.user, draft.pk),
            status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class DraftView(ServiceAPIView):
    @extend_schema(responses=DraftSerializer)
    def get(self, request: Request, id: int) -> Response:
        """A draft: the version it copies, its revision and status, the whole content."""
        return _draft_answer(selectors.draft_for(request.user, id))


class DraftRulesView(ServiceAPIView):
    @extend_schema(request=RuleBodySerializer, responses={201: DraftSerializer})
    def post(self, request: Request, id: int) -> Response:
        """Add a rule (it cites its article and quotes the measure's words)."""
        selectors.draft_for(request.user, id)  # 404 / 403 before the body is read
        data = valid(RuleBodySerializer(data=request.data))
        draft = services.draft_rule_save(
            actor=request.user, draft_id=id, revision=data["revision"], rule=data["rule"], request=request
        )
        return _draft_answer(draft, status.HTTP_201_CREATED)


class DraftRuleView(ServiceAPIView):
    @extend_schema(request=RuleBodySerializer, responses=DraftSerializer)
    def put(self, request: Request, id: int, rule_id: str) -> Response:
        """Replace a rule (its id stays); errors name the field relative to the rule."""
        selectors.draft_for(request.user, id)  # 404 / 403 before the body is read
        data = valid(RuleBodySerializer(data=request.data))
        draft = services.draft_rule_save(
            actor=request.user,
            draft_id=id,
            revision=data["revision"],
            rule=data["rule"],
            rule_id=rule_id,
            request=request,
        )
        return _draft_answer(draft)


class DraftRuleSwitchView(ServiceAPIView):
    @extend_schema(request=RuleSwitchSerializer, responses=DraftSerializer)
    def post(self, request: Request, id: int, rule_id: str) -> Response:
        """Switch a rule off (with the reason its verdicts will say) or on again."""
        selectors.draft_for(request.user, id)  # 404 / 403 before the body is read
        data = valid(RuleSwitchSerializer(data=request.data))
        draft = services.draft_rule_switch(
            actor=request.user,
            draft_id=id,
            revision=data["revision"],
            rule_id=rule_id,
            off=data["off"],
            reason=data.get("reason", ""),
            request=request,
        )
        return _draft_answer(draft)


class DraftSectionView(ServiceAPIView):
    @extend_schema(request=SectionBodySerializer, responses=DraftSerializer)
    def put(self, request: Request, id: int, section: str) -> Response:
        """Replace a section: measure, categories, documents, settings or review."""
        selectors.draft_for(request.user, id)  # 404 / 403 before the body is read
        data = valid(SectionBodySerializer(data=request.data))
        draft = services.draft_section_save(
            actor=request.user,
            draft_id=id,
            revision=data["revision"],
            section=section,
            value=data["value"],
            request=request,
        )
        return _draft_answer(draft)


class DraftYamlView(ServiceAPIView):
    @extend_schema(responses=YAML_RESPONSE)
    def get(self, request: Request, id: int) -> HttpResponse:
        """The draft as YAML (expert mode)."""
        draft = selectors.draft_for(request.user, id)
        response = HttpResponse(dump_pack_text(draft.content), content_type="application/yaml; charset=utf-8")
        response["X-Draft-Revision"] = str(draft.revision)
        return response

    @extend_schema(request=YamlBodySerializer, responses=DraftSerializer)
    def put(self, request: Request, id: int) -> Response:
        """Replace the whole draft from YAML; errors name the field and the line (`problems`)."""
        selectors.draft_for(request.user, id)  # 404 / 403 before the body is read
        data = valid(YamlBodySerializer(data=request.data))
        draft = services.draft_yaml_save(
            actor=request.user, draft_id=id, revision=data["revision"], text=data["text"], request=request
        )
        return _draft_answer(draft)


class DraftPublishView(ServiceAPIView):
    @extend_schema(request=PublishBodySerializer, responses={201: RulePackVersionSerializer})
    def post(self, request: Request, id: int) -> Response:
        """Publish the draft as the next version, applying from `effective_from` (today or later)."""
        selectors.draft_for(request.user, id)  # 404 / 403 before the body is read
        data = valid(PublishBodySerializer(data=request.data))
        pack = services.draft_publish(
            actor=request.user,
            draft_id=id,
            revision=data["revision"],
            effective_from=data["effective_from"],
            effective_to=data.get("effective_to"),
            note=data["note"],
            request=request,
        )
        return Response(RulePackVersionSerializer(pack).data, status=status.HTTP_201_CREATED)


class DraftDiscardView(ServiceAPIView):
    @extend_schema(request=DiscardBodySerializer, responses=DraftSerializer)
    def post(self, request: Request, id: int) -> Response:
        """Discard the draft (kept, as discarded), saying why."""
        selectors.draft_for(request.user, id)  # 404 / 403 before the body is read
        data = valid(DiscardBodySerializer(data=request.data))
        draft = services.draft_discard(
            actor=request.user, draft_id=id, revision=data["revision"], reason=data["reason"], request=request
        )
        return _draft_answer(draft)


class RulePackExportView(ServiceAPIView):
    @extend_schema(responses=YAML_RESPONSE)
    def get(self, request: Request, code: str, version: int) -> HttpResponse:
        """A published version as YAML (as the pack files are); loads back as the same content."""
        jurisdiction = jurisdiction_for(request.user, code)
        pack = selectors.version_of(jurisdiction, version)
        pack.jurisdiction = jurisdiction
        return export_response(pack)
