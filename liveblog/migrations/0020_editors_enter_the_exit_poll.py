from django.db import migrations


def resync_groups(apps, schema_editor):
    from liveblog.roles import ROLES, sync_groups

    sync_groups(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("liveblog", "0019_exit_poll_posts"), ("results", "0018_general_election_night")]

    operations = [migrations.RunPython(resync_groups, migrations.RunPython.noop)]
