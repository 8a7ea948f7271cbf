from django.db import migrations


def northern_ireland_parties(apps, schema_editor):
    from results.parties import NORTHERN_IRELAND_MORE, upsert_registered_parties

    upsert_registered_parties(apps.get_model("results", "Party"), NORTHERN_IRELAND_MORE)


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0016_voting_systems_lists_and_stv"),
    ]

    operations = [
        migrations.RunPython(northern_ireland_parties, migrations.RunPython.noop),
    ]
