# The planner's actions are now actions.Action (copied with their history by actions 0002). The
# clinic's items pointed at them, so they go first.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0007_document_precheck"),
        ("actions", "0002_copy_old_tasks"),
        ("clinic", "0002_remove_action_items"),
    ]

    operations = [
        migrations.DeleteModel(name="PlannedActionEvent"),
        migrations.DeleteModel(name="PlannedAction"),
    ]
