from django.db import migrations


def registered_parties(apps, schema_editor):
    from results.parties import REGISTERED_PARTIES, upsert_registered_parties

    upsert_registered_parties(apps.get_model("results", "Party"), REGISTERED_PARTIES)


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0011_running_totals"),
    ]

    operations = [
        migrations.RunPython(registered_parties, migrations.RunPython.noop),
    ]
