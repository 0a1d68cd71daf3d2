"""Settings for ``bench/servicedesk_open311.py`` only: the platform's own settings, with a URL
configuration that adds the trivial baseline view. Nothing else differs, so the trivial view
goes through the same middleware, workers and database connection handling as Open311."""

from kotacerdas.settings import *  # noqa: F403

ROOT_URLCONF = "open311_bench_urls"
