from rest_framework import serializers

from govproj.i18n import english
from jurisdictions.models import Department
from jurisdictions.serializers import FactsField, StoredFactsField, StrictSerializer
from projects.models import PHASE_LABELS, AuditEvent, FundingSource, Project


def rule_pack_label(project) -> str | None:
    """ "baotou v1": the pinned version, named by the project's jurisdiction (a pack's own, always)."""
    return f"{project.jurisdiction.code} v{project.rule_pack.version}" if project.rule_pack_id else None


# What a row of the project list shows; a project shows its description and facts too.
LIST_FIELDS = [
    "id",
    "code",
    "jurisdiction",
    "department",
    "department_name",
    "title",
    "category",
    "total_investment_wan",
    "funding_source",
    "year",
    "phase",
    "phase_label",
    "rule_pack",
    "version",
    "created_at",
    "updated_at",
]


class ProjectListSerializer(serializers.ModelSerializer):
    """A row of the list: what a list shows, without the description and the facts (see the project).

    Rows are dicts of `ProjectListSerializer.COLUMNS` (a `.values()` query: no model instances),
    and each row is written out directly rather than field by field: the fields below describe
    the result for the schema, and a test holds the two to the same output.
    """

    COLUMNS = (
        "id",
        "code",
        "jurisdiction__code",
        "department_id",
        "department__name_zh",
        "department__name_en",
        "title",
        "category",
        "total_investment_wan",
        "funding_source",
        "year",
        "phase",
        "rule_pack__version",
        "version",
        "created_at",
        "updated_at",
    )

    jurisdiction = serializers.CharField(source="jurisdiction__code", read_only=True)
    department = serializers.IntegerField(source="department_id", read_only=True)
    department_name = serializers.SerializerMethodField()
    phase_label = serializers.SerializerMethodField()
    rule_pack = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = LIST_FIELDS
        read_only_fields = fields

    def get_department_name(self, row) -> str:
        return row["department__name_en"] if english() else row["department__name_zh"]

    def get_phase_label(self, row) -> str:
        return str(PHASE_LABELS.get(row["phase"], row["phase"]))

    def get_rule_pack(self, row) -> str | None:
        version = row["rule_pack__version"]
        return f"{row['jurisdiction__code']} v{version}" if version is not None else None

    def to_representation(self, row) -> dict:
        fields = self.fields
        return {
            "id": row["id"],
            "code": row["code"],
            "jurisdiction": row["jurisdiction__code"],
            "department": row["department_id"],
            "department_name": self.get_department_name(row),
            "title": row["title"],
            "category": row["category"],
            "total_investment_wan": fields["total_investment_wan"].to_representation(
                row["total_investment_wan"]
            ),
            "funding_source": row["funding_source"],
            "year": row["year"],
            "phase": row["phase"],
            "phase_label": self.get_phase_label(row),
            "rule_pack": self.get_rule_pack(row),
            "version": row["version"],
            "created_at": fields["created_at"].to_representation(row["created_at"]),
            "updated_at": fields["updated_at"].to_representation(row["updated_at"]),
        }


class ProjectSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.PrimaryKeyRelatedField(read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    phase_label = serializers.CharField(read_only=True)
    rule_pack = serializers.SerializerMethodField()
    facts = StoredFactsField(read_only=True)

    class Meta:
        model = Project
        fields = [*LIST_FIELDS, "description", "facts"]
        read_only_fields = fields

    def get_rule_pack(self, project) -> str | None:
        return rule_pack_label(project)


class ProjectCreateSerializer(StrictSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=60)
    total_investment_wan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    funding_source = serializers.ChoiceField(choices=FundingSource.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    facts = FactsField(required=False, default=dict)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["department"].queryset = Department.objects.for_user(user)


class ProjectUpdateSerializer(ProjectCreateSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)
        self.fields.pop("department")


class TransitionRequestSerializer(StrictSerializer):
    transition = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")
    rule_pack = serializers.SerializerMethodField()
    on_behalf_of = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "from_phase",
            "to_phase",
            "comment",
            "rule_pack",
            "verdicts",
            "changes",
            "on_behalf_of",
        ]
        read_only_fields = fields

    def get_on_behalf_of(self, event) -> str | None:
        """The delegator's name when the actor acted as their delegate (代理审批), else null."""
        behalf = event.changes.get("on_behalf_of") if isinstance(event.changes, dict) else None
        return behalf.get("name") if isinstance(behalf, dict) else None

    def get_rule_pack(self, event) -> str | None:
        return event.rule_pack.label if event.rule_pack_id else None
