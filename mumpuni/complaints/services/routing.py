"""Which unit should handle a complaint: the most specific active RoutingRule, else the point's own unit."""

from __future__ import annotations

from mumpuni.complaints.models import RoutingRule
from mumpuni.people.models import Unit
from mumpuni.queueing.models import Service, ServicePoint


def suggest_unit(category: str, service: Service | None, point: ServicePoint | None) -> Unit | None:
    best: RoutingRule | None = None
    for rule in RoutingRule.objects.filter(active=True, unit__active=True).select_related("unit"):
        if rule.category and rule.category != category:
            continue
        if rule.service_id and (service is None or rule.service_id != service.pk):
            continue
        if rule.point_id and (point is None or rule.point_id != point.pk):
            continue
        if best is None or rule.specificity > best.specificity:
            best = rule
    if best is not None:
        return best.unit
    return point.unit if point is not None else None
