"""GeoReport v2 responses in JSON and XML, and the spec's error format.

XML is only ever generated here (xml.etree.ElementTree), never parsed: requests are form-encoded. Lists take
the spec's element names (`<services><service>`, `<attributes><attribute>`, `<values><value>`,
`<service_requests><request>`, `<errors><error>`, `<endpoints><endpoint>`, `<formats><format>`).
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

JSON = "json"
XML = "xml"
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}

# Element name of one item inside each list element.
ITEM_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry at all (ElementTree would write them and break the document).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _fill(element: Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(SubElement(element, key), item)
    elif isinstance(value, list):
        tag = ITEM_TAGS[element.tag]
        for item in value:
            _fill(SubElement(element, tag), item)
    elif value is None:
        return
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _NOT_XML.sub("", str(value))


def xml_document(root: str, value: Any) -> bytes:
    element = Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(
        element, encoding="utf-8", xml_declaration=False
    )


def respond(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """`value` as JSON, or as XML under the element `root` (which JSON does not show)."""
    body = xml_document(root, value) if fmt == XML else json.dumps(value, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """`[{"code": 400, "description": "…"}]`, or `<errors><error><code/><description/></error></errors>`."""
    return respond(
        fmt, "errors", [{"code": status, "description": text} for text in descriptions], status=status
    )
