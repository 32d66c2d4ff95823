"""A round's results as .xlsx: per reviewer, per unit, per defect type (text cells stay text)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from officers.sheets import workbook_sheets_bytes


def round_results_xlsx(*, round) -> bytes:
    from .selectors import round_results

    results = round_results(round=round)
    pending = _("Awaiting grading")
    return workbook_sheets_bytes(sheets=[
        (
            _("By reviewer"),
            [_("Rank"), _("Police number"), pgettext("person", "Name"), _("Unit"), _("Files"), _("Submitted"), _("Score")],
            [[r.rank, r.police_number, r.name, r.unit, r.files, r.submitted,
              pending if r.score is None else float(r.score)] for r in results.reviewers],
        ),
        (
            _("By unit"),
            [_("Unit"), _("Reviewers"), _("Average score")],
            [[u.unit, u.reviewers, float(u.average)] for u in results.units],
        ),
        (
            _("By defect type"),
            [_("Defect type"), _("To be found"), _("Found"), _("Found %")],
            [[t.defect_type, t.to_find, t.found, None if t.found_rate is None else float(t.found_rate)]
             for t in results.defect_types],
        ),
    ])
