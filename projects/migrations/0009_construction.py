# Issue 10 §1, construction records (projects.construction): the supervision contract, procurement and its
# contract, the yearly progress report (one per project and year) and the incident report with its FSM.
import django.core.validators
import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0008_annual_plans"),
        ("budgets", "0001_baseline"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProcurementRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('started_on', models.DateField(verbose_name='procurement started on')),
                ('method', models.CharField(choices=[('public_tender', 'Public tender'), ('invited_tender', 'Invited tender'), ('competitive_negotiation', 'Competitive negotiation'), ('competitive_consultation', 'Competitive consultation'), ('single_source', 'Single source'), ('inquiry', 'Request for quotation'), ('framework', 'Framework agreement'), ('other', 'Other')], max_length=30, verbose_name='procurement method')),
                ('supplier', models.CharField(blank=True, max_length=200, verbose_name='winning supplier')),
                ('contract_number', models.CharField(blank=True, max_length=100, verbose_name='contract number')),
                ('contract_date', models.DateField(blank=True, null=True, verbose_name='contract date')),
                ('contract_amount_wan', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='contract amount (10k CNY)')),
                ('ip_terms_stated', models.BooleanField(default=False, verbose_name='the tender documents and contract state IP ownership')),
                ('free_om_years', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='free O&M period agreed (years)')),
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='procurement', to='projects.project', verbose_name='project')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'procurement and contract',
                'verbose_name_plural': 'procurement and contracts',
            },
        ),
        migrations.CreateModel(
            name='SupervisionContract',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('company', models.CharField(max_length=200, verbose_name='supervision company')),
                ('contract_number', models.CharField(max_length=100, verbose_name='contract number')),
                ('contract_date', models.DateField(verbose_name='contract date')),
                ('file', models.FileField(blank=True, upload_to='construction/supervision/%Y/%m/', verbose_name='contract file')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='file name')),
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='supervision_contract', to='projects.project', verbose_name='project')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'supervision contract',
                'verbose_name_plural': 'supervision contracts',
            },
        ),
        migrations.CreateModel(
            name='IncidentReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('kind', models.CharField(choices=[('serious_delay', 'Serious delay'), ('major_loss', 'Major investment loss'), ('major_change', 'Major change')], max_length=20, verbose_name='kind')),
                ('happened', models.TextField(max_length=2000, verbose_name='what happened')),
                ('impact', models.TextField(max_length=2000, verbose_name='impact')),
                ('measures', models.TextField(max_length=2000, verbose_name='measures taken or proposed')),
                ('reported_on', models.DateField(verbose_name='reported on')),
                ('file', models.FileField(blank=True, upload_to='construction/incidents/%Y/%m/', verbose_name='report file')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='file name')),
                ('status', django_fsm.FSMField(choices=[('reported', 'Reported, awaiting the approver'), ('rectifying', 'Rectification ordered'), ('rectification_reported', 'Rectification reported, awaiting confirmation'), ('closed', 'Rectification confirmed'), ('suspended', 'Construction suspended')], default='reported', max_length=50, protected=True, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('decision_reason', models.TextField(blank=True, max_length=2000, verbose_name='reason')),
                ('rectification_due_date', models.DateField(blank=True, null=True, verbose_name='rectify by')),
                ('rectification_summary', models.TextField(blank=True, max_length=2000, verbose_name='rectification done')),
                ('rectification_reported_at', models.DateTimeField(blank=True, null=True, verbose_name='rectification reported at')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                ('confirmation_comment', models.TextField(blank=True, max_length=2000, verbose_name='confirmation comment')),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='projects.projectdocument', verbose_name='report document')),
                ('on_behalf_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='on behalf of')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to='projects.project', verbose_name='project')),
                ('rectification_reported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rectification reported by')),
                ('reported_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reported by')),
            ],
            options={
                'verbose_name': 'incident report',
                'verbose_name_plural': 'incident reports',
                'ordering': ['project', '-reported_on', '-pk'],
                'indexes': [models.Index(fields=['status'], name='incident_status')],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name='ProgressReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('year', models.PositiveIntegerField(verbose_name='year reported on')),
                ('submitted_on', models.DateField(verbose_name='submitted on')),
                ('progress', models.TextField(max_length=2000, verbose_name='construction progress')),
                ('investment', models.TextField(max_length=2000, verbose_name='investment plan execution')),
                ('problems', models.TextField(blank=True, max_length=2000, verbose_name='problems and trial-run effect')),
                ('documents', models.JSONField(blank=True, default=list, verbose_name='documents submitted with it')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='progress_reports', to='projects.project', verbose_name='project')),
                ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
            ],
            options={
                'verbose_name': 'yearly progress report',
                'verbose_name_plural': 'yearly progress reports',
                'ordering': ['project', 'year'],
                'constraints': [models.UniqueConstraint(fields=('project', 'year'), name='progress_report_one_per_year')],
            },
        ),
    ]
