"""The ``kotacerdas`` command: Django's management commands plus the platform's own
(``init``, ``demo``, ``serve``, ``apitoken``...). ``kotacerdas help`` lists them all.

Configuration and database problems end the command with one line naming the cause, not a
traceback: a clerk setting up a server should see "DATABASE_URL ... cannot be reached".
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    args = ["kotacerdas", *(sys.argv[1:] if argv is None else argv)]
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import OperationalError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        sys.exit(f"kotacerdas: configuration error: {exc}")
    except OperationalError as exc:
        from kotacerdas.conf import describe_database_url

        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.exit(
            f"kotacerdas: the database at DATABASE_URL={describe_database_url()} cannot be "
            f"used: {reason}"
        )
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
