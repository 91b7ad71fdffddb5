"""Template helpers of external event data, for pages outside ingest's views (the map page's layer)."""

from __future__ import annotations

from django import template

from ceasefire.incidents.enums import Category

register = template.Library()


@register.simple_tag
def event_categories() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Category.choices]
