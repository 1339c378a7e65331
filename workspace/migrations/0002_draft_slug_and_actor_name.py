from django.db import migrations, models


def give_slugs(apps, schema_editor):
    """A KM's slug is what it was derived from before it was stored: the published report's
    slug, else <unit code>-<id>; each transition keeps its actor's user name."""
    Draft = apps.get_model("workspace", "Draft")
    for draft in Draft.objects.select_related("report", "unit"):
        draft.slug = draft.report.slug if draft.report_id else f"{draft.unit.code}-{draft.pk}"
        draft.save(update_fields=["slug"])
    Transition = apps.get_model("workspace", "Transition")
    for step in Transition.objects.exclude(actor=None).select_related("actor"):
        step.actor_name = step.actor.username
        step.save(update_fields=["actor_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_initial"),
    ]

    operations = [
        # Without an index until every row has its slug; the unique constraint (and on
        # PostgreSQL its LIKE index) comes with the AlterField below.
        migrations.AddField(
            model_name="draft",
            name="slug",
            field=models.SlugField(db_index=False, default="", editable=False, max_length=60, verbose_name="รหัส"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicaldraft",
            name="slug",
            field=models.SlugField(default="", editable=False, max_length=60, verbose_name="รหัส"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="transition",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="ชื่อผู้ใช้ของผู้ดำเนินการ"),
        ),
        migrations.RunPython(give_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="draft",
            name="slug",
            field=models.SlugField(editable=False, max_length=60, unique=True, verbose_name="รหัส"),
        ),
    ]
