import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_the_main_km(apps, schema_editor):
    """Every form made so far tests the site's main KM (the seed KM)."""
    KMReport = apps.get_model("knowledge", "KMReport")
    report = (KMReport.objects.filter(slug=settings.KM_MAIN_REPORT).first()
              or KMReport.objects.order_by("id").first())
    if report is not None:
        apps.get_model("assessments", "TestForm").objects.filter(report=None).update(report=report)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_session_settings"),
        ("knowledge", "0006_kmreport_in_workspace"),
    ]

    operations = [
        migrations.AddField(
            model_name="testform",
            name="report",
            field=models.ForeignKey(help_text="แบบทดสอบนี้วัดความรู้จาก KM เรื่องใด", null=True,
                                    on_delete=django.db.models.deletion.SET_NULL, related_name="test_forms",
                                    to="knowledge.kmreport", verbose_name="KM"),
        ),
        migrations.RunPython(to_the_main_km, migrations.RunPython.noop),
    ]
