"""The audit trail's words: what each action code means, in the reader's language.

Codes are written by `officers.services.audit_record` all over the platform; a code
not listed here is shown as it is.
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "results.view": _("Viewed test results"),
    "results.export": _("Exported test results"),
    "sitting.view": _("Viewed another officer's paper"),
    "bulletin.download": _("Downloaded a bulletin"),
    "evaluation.view": _("Read a recruit's evaluation of the mentor"),
    "training_record.view": _("Opened a training record (PDF)"),
    "dashboard.view": _("Viewed course completion per unit"),
    "dashboard.export": _("Exported course completion"),
    "training_report.view": _("Viewed yearly training hours"),
    "training_report.export": _("Exported yearly training hours"),
    "attendance.remove": _("Removed a training session attendance"),
    "certificates.download": _("Printed a unit's certificates"),
    "case_file.view": _("Viewed a case file"),
    "case_file.key_grow": _("Added to a case file's key"),
    "case_review.view": _("Viewed another officer's case review"),
    "case_review_results.xlsx": _("Exported case-review results"),
    "publication.publish": _("Published results"),
    "publication.bulletin_download": _("Downloaded a bulletin"),
    "publication.objection_accept": _("Accepted an objection"),
    "publication.objection_reject": _("Rejected an objection"),
    "ranking.evidence.view": _("Viewed the evidence of a manual points entry"),
    "ranking.breakdown.view": _("Viewed another officer's points breakdown"),
    "ranking.rule_book_version.approve": _("Brought a ranking rule book version into force"),
    "ranking.manual_entry.approve": _("Approved a manual points entry"),
    "ranking.manual_entry.reject": _("Rejected a manual points entry"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
