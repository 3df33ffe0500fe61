"""REST API of `evaluation` under /api/v1/evaluation/."""

from ninja import Router

router = Router(tags=["evaluation"])
