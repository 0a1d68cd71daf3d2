"""Template filters of the dashboard."""

from django import template

from kotacerdas.dashboard.figures import format_number

register = template.Library()

# A figure with every decimal it carries, as the reader's locale writes it.
register.filter("figure_number", format_number)
