from django.db import migrations


def load_parties(apps, schema_editor):
    from results.parties import GB_PARTIES

    Party = apps.get_model("results", "Party")
    for code, name, short_name, colour in GB_PARTIES:
        Party.objects.update_or_create(code=code, defaults={"name": name, "short_name": short_name, "colour": colour})


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunPython(load_parties, migrations.RunPython.noop)]
