# The study visits' follow-ups are now actions.Action (copied with their history by actions 0002).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("replication", "0002_linked_replication"),
        ("actions", "0002_copy_old_tasks"),
    ]

    operations = [
        migrations.DeleteModel(name="FollowUpHistory"),
        migrations.DeleteModel(name="FollowUp"),
    ]
