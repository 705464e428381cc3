# Review steps, expert assignments and third-party reviews (approvals.reviews).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import approvals.reviews.models


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_delegations"),
        ("jurisdictions", "0002_department_jurisdiction_fixed"),
        ("projects", "0008_annual_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReviewStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('code', models.CharField(max_length=60, verbose_name='review step')),
                ('round', models.PositiveIntegerField(default=1, verbose_name='round')),
                ('status', models.CharField(choices=[('open', 'Under review'), ('passed', 'Passed'), ('failed', 'Not passed')], default='open', max_length=10, verbose_name='status')),
                ('organised_at', models.DateTimeField(blank=True, null=True, verbose_name='organised at')),
                ('comment', models.TextField(blank=True, verbose_name='outcome')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('file', models.FileField(blank=True, max_length=255, upload_to=approvals.reviews.models.review_file_path, verbose_name='file')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='file name')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='jurisdictions.jurisdiction', verbose_name='jurisdiction')),
                ('on_behalf_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='on behalf of')),
                ('organised_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='organised by')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_steps', to='projects.project', verbose_name='project')),
            ],
            options={
                'verbose_name': 'review step',
                'verbose_name_plural': 'review steps',
                'ordering': ['project', 'code', 'round'],
            },
        ),
        migrations.CreateModel(
            name='ExpertAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('assigned_at', models.DateTimeField(verbose_name='assigned at')),
                ('no_conflict_declared_at', models.DateTimeField(blank=True, null=True, verbose_name='no conflict declared at')),
                ('opinion', models.CharField(blank=True, choices=[('agree', 'Agree'), ('agree_with_conditions', 'Agree with conditions'), ('disagree', 'Disagree')], max_length=30, verbose_name='opinion')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('file', models.FileField(blank=True, max_length=255, upload_to=approvals.reviews.models.review_file_path, verbose_name='file')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='file name')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('withdrawn', models.BooleanField(default=False, verbose_name='withdrawn')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn at')),
                ('assigned_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned by')),
                ('expert', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='expert')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='projects.project', verbose_name='project')),
                ('step', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='approvals.reviewstep', verbose_name='review step')),
            ],
            options={
                'verbose_name': 'expert assignment',
                'verbose_name_plural': 'expert assignments',
                'ordering': ['step', 'assigned_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ThirdPartyReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('organisation', models.CharField(max_length=200, verbose_name='organisation')),
                ('conclusion', models.CharField(choices=[('agree', 'Agree'), ('conditional', 'Agree with conditions'), ('disagree', 'Disagree')], max_length=20, verbose_name='conclusion')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('file', models.FileField(blank=True, max_length=255, upload_to=approvals.reviews.models.review_file_path, verbose_name='report')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='file name')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='projects.project', verbose_name='project')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('step', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='third_party', to='approvals.reviewstep', verbose_name='review step')),
            ],
            options={
                'verbose_name': 'third-party review',
                'verbose_name_plural': 'third-party reviews',
                'ordering': ['step', 'recorded_at', 'pk'],
            },
        ),
        migrations.AddIndex(
            model_name='reviewstep',
            index=models.Index(fields=['jurisdiction', 'status'], name='approvals_r_jurisdi_64d604_idx'),
        ),
        migrations.AddConstraint(
            model_name='reviewstep',
            constraint=models.UniqueConstraint(fields=('project', 'code', 'round'), name='review_step_round'),
        ),
        migrations.AddIndex(
            model_name='expertassignment',
            index=models.Index(fields=['expert', 'submitted_at'], name='approvals_e_expert__5bb0e3_idx'),
        ),
    ]
