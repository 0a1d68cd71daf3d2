"""Template tags of the social-aid pages."""

from __future__ import annotations

from typing import Any

from django import template

from kotacerdas.bansos import rules

register = template.Library()


@register.inclusion_tag("bansos/_nav.html", takes_context=True)
def bansos_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The registry's menu: the working pages only for those who may work in the registry."""
    return {"can_work": rules.can_work_registry(context["request"].user)}
