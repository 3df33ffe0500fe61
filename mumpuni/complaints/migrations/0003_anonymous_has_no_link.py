"""The stricter anonymity constraint, in its own migration: on PostgreSQL the rows 0002 updated are committed
before the table is altered."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_review_privacy_fixes"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("identity", "anonymous"), _negated=True),
                    models.Q(
                        ("name", ""),
                        ("email", ""),
                        ("phone", ""),
                        ("contact_hash", ""),
                        ("client_hash", ""),
                        ("ticket__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="complaint_anonymous_has_no_identity",
            ),
        ),
    ]
