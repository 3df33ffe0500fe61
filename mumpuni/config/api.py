"""The REST API (django-ninja): /api/v1/..., schema at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

from mumpuni.common.api import install_error_handlers, session_or_key_auth

api = NinjaAPI(
    title="Mumpuni API",
    version="1",
    description="API Mumpuni — pengembangan kompetensi ASN dan pelayanan publik.",
    urls_namespace="api",
    auth=session_or_key_auth,
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)

api.add_router("/v1/", "mumpuni.people.api.router")
api.add_router("/v1/competencies/", "mumpuni.competencies.api.router")
api.add_router("/v1/learning/", "mumpuni.learning.api.catalogue.router")
api.add_router("/v1/learning/", "mumpuni.learning.api.progress.router")
api.add_router("/v1/queue/", "mumpuni.queueing.api.points.router")
api.add_router("/v1/queue/", "mumpuni.queueing.api.tickets.router")
api.add_router("/v1/queue/", "mumpuni.queueing.api.stats.router")

api.add_router("/v1/evaluation/", "mumpuni.evaluation.api.router")
api.add_router("/v1/talent/", "mumpuni.talent.api.router")
api.add_router("/v1/nudges/", "mumpuni.nudges.api.router")
api.add_router("/v1/planning/", "mumpuni.planning.api.router")
api.add_router("/v1/insights/", "mumpuni.insights.api.router")
api.add_router("/v1/reports/", "mumpuni.reports.api.router")
