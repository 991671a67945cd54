from django import template

register = template.Library()


@register.filter
def getattribute_safe(obj, name: str):
    """Read a model field by name in a template (for the edit-conflict summary)."""
    if obj is None or name.startswith("_"):
        return ""
    return getattr(obj, name, "")
