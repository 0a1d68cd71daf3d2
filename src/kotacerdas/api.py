"""The platform's JSON API at /api/v1/: one NinjaAPI instance mounting each app's router.

OpenAPI is generated from the routers (``/api/v1/openapi.json``, browsable at ``/api/v1/docs``).
"""

from ninja import NinjaAPI

from kotacerdas import __version__
from kotacerdas.core.api import router as core_router
from kotacerdas.core.api_common import install_error_handlers
from kotacerdas.dashboard.api import router as dashboard_router
from kotacerdas.evaluation.api import router as evaluation_router
from kotacerdas.masterplan.api import router as masterplan_router
from kotacerdas.servicedesk.api import router as servicedesk_router

api = NinjaAPI(
    title="Kota Cerdas API",
    version=f"1 ({__version__})",
    description=(
        "The JSON API of Kota Cerdas. Reading reference data needs no account; changes need a "
        "signed-in session or a personal API token sent as `Authorization: Bearer <token>`. "
        "Lists are paginated with `limit` and `offset`; errors are "
        '`{"message": ..., "errors": [{"field": ..., "message": ...}]}`.'
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/masterplan", masterplan_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/servicedesk", servicedesk_router)
api.add_router("/dashboard", dashboard_router)
