"""Streams and their events now belong to the streams app: copy every row, ids and seqs kept, then drop the old tables."""

from django.core.management.color import no_style
from django.db import migrations

COLUMNS = {"stream": "id, key, last_seq", "event": "id, stream_id, seq, kind, html, created_at"}


def _copy(from_app: str, to_app: str, *, empty_source: bool = False):
    def copy(apps, schema_editor):
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        targets = []
        with connection.cursor() as cursor:
            for model_name, columns in COLUMNS.items():  # streams before the events that point at them
                source = apps.get_model(from_app, model_name)._meta.db_table
                target = apps.get_model(to_app, model_name)
                targets.append(target)
                cursor.execute(
                    f"INSERT INTO {quote(target._meta.db_table)} ({columns}) SELECT {columns} FROM {quote(source)}"
                )
            # Rows came with their ids: new rows must be numbered after them (PostgreSQL's sequences).
            for statement in connection.ops.sequence_reset_sql(no_style(), targets):
                cursor.execute(statement)
            if empty_source:  # going back: the streams app's tables stay, and must not keep the rows twice
                for model_name in reversed(COLUMNS):
                    cursor.execute(f"DELETE FROM {quote(apps.get_model(from_app, model_name)._meta.db_table)}")

    return copy


class Migration(migrations.Migration):

    dependencies = [
        ("liveblog", "0006_image_renditions"),
        ("streams", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_copy("liveblog", "streams"), _copy("streams", "liveblog", empty_source=True)),
        migrations.DeleteModel(name="Event"),
        migrations.DeleteModel(name="Stream"),
    ]
