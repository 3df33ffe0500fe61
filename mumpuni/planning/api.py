"""REST API of `planning` under /api/v1/planning/."""

from ninja import Router

router = Router(tags=["planning"])
