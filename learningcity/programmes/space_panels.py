"""The "what's on" panel the atlas shows on each space's page."""

from django.template.loader import render_to_string

from .selectors import upcoming_for_space


def space_panel(request, space) -> str:
    sessions = upcoming_for_space(space=space)
    if not sessions:
        return ""
    return render_to_string(
        "programmes/space_panel.html",
        {"sessions": sessions, "space": space, "city": space.city},
        request=request,
    )
