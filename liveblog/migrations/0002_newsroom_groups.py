from django.db import migrations


def create_groups(apps, schema_editor):
    from liveblog.roles import ROLES, sync_groups

    sync_groups(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("liveblog", "0001_initial"),
        ("results", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
