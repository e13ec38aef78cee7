import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_assessment_from_entry(apps, schema_editor):
    Answer = apps.get_model("assessment", "Answer")
    Entry = apps.get_model("assessment", "Entry")
    Answer.objects.update(
        scoring_assessment_id=Subquery(Entry.objects.filter(pk=OuterRef("entry_id")).values("assessment_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_stage_sheets"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="scoring_assessment",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="assessment.assessment",
            ),
        ),
        migrations.RunPython(copy_assessment_from_entry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="answer",
            name="scoring_assessment",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="assessment.assessment",
            ),
        ),
    ]
