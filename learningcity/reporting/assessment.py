"""A self-assessment against the Award's criteria, from a drafted report: each criterion scored 0 to 4 on what
the report can show (a narrative in both languages, evidence, figures from the platform, and the criterion's own
test), with the gaps listed. A reading aid for the steering committee, not UNESCO's scoring."""

from __future__ import annotations

from django.utils.translation import gettext as _


def _own_test(section: dict) -> str | None:
    """The gap of the criterion's own test, or None when it is met."""
    key, tables = section["key"], section["tables"]
    if key in ("plan", "targets"):
        behind = [
            r
            for r in tables[0]["rows"]
            if r[4] is not None and (r[3] or r[2]) is not None and r[4] < (r[3] or r[2])
        ]
        return _("%(n)s targets not yet met") % {"n": len(behind)} if behind else None
    if key == "resources":
        rows = tables[0]["rows"] if tables else []
        return (
            None
            if any(r[1] is not None or r[2] is not None for r in rows)
            else _("no budget lines for the period")
        )
    if key == "learning_for_all":
        behind = tables[-1]["rows"] if tables else []
        if behind:
            return _("groups left behind: %(groups)s") % {
                "groups": ", ".join(f"{r[1]} ({r[2]})" for r in behind[:6])
            }
        return None
    return None if sum(1 for t in tables if t["rows"]) >= 1 else _("no figures")


def assess(sections: list[dict]) -> dict:
    rows = []
    for s in sections:
        gaps = []
        if not s["narrative_vi"]:
            gaps.append(_("no Vietnamese narrative"))
        if not s["narrative_en"]:
            gaps.append(_("no English narrative"))
        if not s["evidence"]:
            gaps.append(_("no evidence attached"))
        if not any(t["rows"] for t in s["tables"]):
            gaps.append(_("no figures from the platform"))
        own = _own_test(s)
        if own:
            gaps.append(own)
        checks = [
            bool(s["narrative_vi"] and s["narrative_en"]),
            bool(s["evidence"]),
            any(t["rows"] for t in s["tables"]),
            own is None,
        ]
        score = sum(checks)
        rows.append([s["title"], score, "; ".join(gaps) or _("none")])
    return {
        "title": _("Self-assessment against the Award criteria"),
        "headers": [_("Criterion"), _("Score (0-4)"), _("Gaps")],
        "rows": rows,
        "source": "",
    }
