"""The curation diff report as text for people: its sections, a Markdown page for a tracker ticket, and
an HTML page for review (``pmkg curate diff --format md|html``, and the API's HTML report that the web page
shows).  Renders only — every value comes from the :class:`~queries.models.curation.CurationReport` and is
escaped for the format; never imports click, rich or fastapi.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from queries.models.curation import CurationReport


def sections(report: CurationReport) -> list[tuple[str, dict[str, int], list[str], list[list[str]]]]:
    """(title, counts, columns, rows) of each section the report has."""
    found = []
    if report.terms is not None:
        rows = [[c.kind, c.term_id, c.name, c.vocabulary or "", ", ".join(c.before), ", ".join(c.after),
                 ", ".join(c.targets)] for c in report.terms.changes]  # fmt: skip
        title = f"Term changes ({report.terms.old_terms:,} → {report.terms.new_terms:,} current terms)"
        found.append((title, report.terms.counts, ["kind", "term", "name", "vocabulary", "before", "after", "targets"],
                      rows))  # fmt: skip
    if report.graph_effect is not None:
        rows = [[e.evidence_id, e.source, e.term_id, e.term_name, e.change, e.migration, ", ".join(e.targets), e.note]
                for e in report.graph_effect.items]  # fmt: skip
        columns = ["evidence", "source", "term", "name", "change", "migration", "targets", "note"]
        found.append(
            ("Graph effect: evidence naming retired or moved terms", report.graph_effect.counts, columns, rows)
        )
    if report.evidence is not None:
        found.append(_evidence_section(report.evidence))
    if report.oncotree is not None:
        tree = report.oncotree
        rows = [[str(c.get("kind", "")), str(c.get("code", "")), str(c.get("name", "")), _cell(c.get("before")),
                 _cell(c.get("after")), _cell(c.get("mapping"))] for c in tree.get("changes", [])]  # fmt: skip
        found.append(("OncoTree codes", dict(tree.get("counts", {})),
                      ["change", "code", "name", "before", "after", "mapping"], rows))  # fmt: skip
    if report.impact is not None:
        rows = [[c.kind, "; ".join(c.variants), c.disease or "", c.therapy, c.before or "", c.after or "", c.origin]
                for c in report.impact.changes]  # fmt: skip
        title = (f"Impact on answers: {report.impact.changed_queries:,} of {report.impact.queries:,} patient "
                 f"queries change ({report.impact.seconds:.1f} s)")  # fmt: skip
        if report.impact.skipped:
            title += f"; {report.impact.skipped_reason}"
        found.append((title, report.impact.counts, ["change", "variants", "diagnosis", "therapy", "before", "after",
                                                    "patient from"], rows))  # fmt: skip
    return found


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def _evidence_section(evidence: dict[str, Any]) -> tuple[str, dict[str, int], list[str], list[list[str]]]:
    """Items an evidence release adds, removes and changes (kg.evidence_diff's JSON)."""
    rows: list[list[str]] = []
    for what in ("added", "removed"):
        for item in evidence.get(what, []):
            detail = "; ".join(f"{k}: {v}" for k, v in item.items() if k not in ("id", "kind") and v)
            rows.append([what, str(item.get("id", "")), str(item.get("kind", "")), detail])
    for item in evidence.get("changed", []):
        detail = "; ".join(
            f"{c['field']}: {c['before'] or '(none)'} → {c['after'] or '(none)'}" for c in item["changes"]
        )
        rows.append(["changed", str(item.get("id", "")), str(item.get("kind", "")), detail])
    counts = {k: v for k, v in dict(evidence.get("counts", {})).items() if k != "unchanged"}
    title = (
        f"Evidence items of {evidence.get('source', '')}: {evidence.get('old_version')} → {evidence.get('new_version')}"
    )
    return title, counts, ["change", "item", "kind", "what"], rows


def headline(report: CurationReport) -> str:
    current = f"{report.current.version}" if report.current else "absent"
    state = "staged now" if report.staged_now else "already kept, not rebuilt"
    return (f"{report.source}: current build {report.current_build} ({current}) → candidate build "
            f"{report.candidate_build} ({report.candidate.version}; {state})")  # fmt: skip


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: CurationReport) -> str:
    lines = [f"# Curation diff: {_md_cell(report.source)}", "", _md_cell(headline(report)), ""]
    for title, counts, columns, rows in sections(report):
        lines += [f"## {_md_cell(title)}", ""]
        lines += [", ".join(f"**{kind}** {n:,}" for kind, n in counts.items()) or "No change.", ""]
        if rows:
            lines.append("| " + " | ".join(columns) + " |")
            lines.append("|" + "---|" * len(columns))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def _html_table(columns: Sequence[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(report: CurationReport) -> str:
    """The report's headline and sections as an HTML fragment (what the web page shows under its own styles)."""
    parts = [f"<h1>Curation diff: {html.escape(report.source)}</h1><p>{html.escape(headline(report))}</p>"]
    for title, counts, columns, rows in sections(report):
        summary = ", ".join(f"{kind} {n:,}" for kind, n in counts.items()) or "no change"
        parts.append(f"<h2>{html.escape(title)}</h2><p>{html.escape(summary)}</p>")
        if rows:
            parts.append(_html_table(columns, rows))
    return "".join(parts)


def html_page(report: CurationReport) -> str:
    """One self-contained HTML page of the report (its styles inline)."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>pmkg curation diff: {html.escape(report.source)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}</style></head><body>"
        f"{report_html(report)}</body></html>"
    )
