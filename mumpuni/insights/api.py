"""REST API of `insights` under /api/v1/insights/."""

from ninja import Router

router = Router(tags=["insights"])
