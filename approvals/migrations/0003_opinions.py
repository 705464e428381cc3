# Department opinions (会签意见): one request per body, project and round, with its answer.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import approvals.opinions.models


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0002_reviews"),
        ("jurisdictions", "0002_department_jurisdiction_fixed"),
        ("projects", "0008_annual_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OpinionRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "code",
                    models.CharField(
                        help_text="the pack item's code, or added-<n> (加签)",
                        max_length=60,
                        verbose_name="opinion",
                    ),
                ),
                ("round", models.PositiveIntegerField(default=1, verbose_name="round")),
                (
                    "name",
                    models.JSONField(default=dict, help_text='{"zh": …, "en": …}', verbose_name="what about"),
                ),
                (
                    "giver_name",
                    models.JSONField(
                        default=dict, help_text="the body, as the pack names it", verbose_name="giver"
                    ),
                ),
                (
                    "department_code",
                    models.CharField(blank=True, max_length=40, verbose_name="department code"),
                ),
                ("role", models.CharField(max_length=40, verbose_name="role")),
                ("required", models.BooleanField(default=True, verbose_name="required")),
                ("citation", models.JSONField(blank=True, default=dict, verbose_name="citation")),
                ("added_reason", models.TextField(blank=True, verbose_name="reason for adding")),
                ("requested_at", models.DateTimeField(verbose_name="requested at")),
                (
                    "closed_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="a later round opened before it was answered",
                        null=True,
                        verbose_name="closed at",
                    ),
                ),
                (
                    "answer",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("agree", "Agreed"),
                            ("agree_with_conditions", "Agreed with conditions"),
                            ("disagree", "Disagreed"),
                        ],
                        max_length=30,
                        verbose_name="answer",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        upload_to=approvals.opinions.models.opinion_file_path,
                        verbose_name="file",
                    ),
                ),
                ("file_name", models.CharField(blank=True, max_length=255, verbose_name="file name")),
                ("file_kind", models.CharField(blank=True, max_length=10, verbose_name="file type")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="answered at")),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="added by",
                    ),
                ),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="answered by",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="jurisdictions.department",
                        verbose_name="department",
                    ),
                ),
                (
                    "on_behalf_of",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="on behalf of",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opinion_requests",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "opinion request",
                "verbose_name_plural": "opinion requests",
                "ordering": ["project", "-round", "id"],
                "indexes": [
                    models.Index(fields=["role", "answer", "closed_at"], name="opinion_request_waiting")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("project", "code", "round"), name="opinion_request_once_per_round"
                    )
                ],
            },
        ),
    ]
