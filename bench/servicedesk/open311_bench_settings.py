"""Settings for the load benchmarks only (``bench/webload.py`` serves the platform with them,
for ``bench/servicedesk_open311.py`` and ``bench/bansos_cek.py``): the platform's own settings,
with a URL configuration that adds the trivial baseline view. Nothing else differs, so the
trivial view goes through the same middleware, workers and database connection handling as the
endpoints measured against it."""

from kotacerdas.settings import *  # noqa: F403

ROOT_URLCONF = "open311_bench_urls"
