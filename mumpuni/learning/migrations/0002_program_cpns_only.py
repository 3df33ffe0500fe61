from django.db import migrations, models
from django.db.models import Q


def mark_latsar(apps, schema_editor):
    """Pelatihan Dasar CPNS (Latsar) is for CPNS only: mark an existing catalogue's Latsar programme."""
    Program = apps.get_model("learning", "Program")
    Program.objects.filter(Q(code__iexact="LATSAR") | Q(name__icontains="Pelatihan Dasar CPNS")).update(
        cpns_only=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="program",
            name="cpns_only",
            field=models.BooleanField(default=False, verbose_name="khusus CPNS (masa percobaan)"),
        ),
        migrations.RunPython(mark_latsar, migrations.RunPython.noop),
    ]
