from django.db import migrations


def load_parties(apps, schema_editor):
    from results.parties import GB_PARTIES, upsert_parties

    # Register ids came later (0006): this migration's Party has no field for them.
    upsert_parties(apps.get_model("results", "Party"), [row[:4] for row in GB_PARTIES])


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunPython(load_parties, migrations.RunPython.noop)]
