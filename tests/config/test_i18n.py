"""Every user-facing string has its Simplified Chinese translation."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django*.po") if ".venv" not in p.parts
)


def test_catalogues_exist_for_the_project_and_every_app():
    owners = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert owners >= {"locale", "officers", "lessons", "assessments", "mentoring", "ranking", "publications"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_msgid_is_translated(path):
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"untranslated in {path.relative_to(ROOT)}: {missing[:20]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_is_up_to_date(path):
    po = polib.pofile(str(path))
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), "run: make messages"
    mo = polib.mofile(str(mo_path))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert compiled.get(key) == (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))), (
            f"{entry.msgid!r} is stale in {mo_path.name}: run make messages"
        )


def test_no_msgid_is_translated_two_ways():
    # Django merges every catalogue into one: the same msgid in two apps must mean
    # the same thing, or one app silently shows the other's translation.
    seen: dict[tuple[str | None, str], tuple[str, Path]] = {}
    clashes = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            if entry.msgid_plural:
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in seen and seen[key][0] != entry.msgstr:
                clashes.append(f"{entry.msgid!r}: {seen[key][0]!r} ({seen[key][1].parts[-5]}) vs {entry.msgstr!r} ({path.parts[-5]})")
            seen.setdefault(key, (entry.msgstr, path))
    assert clashes == [], "\n".join(clashes)


# Our catalogues come before Wagtail's and Django's in the merged catalogue, so a plain
# msgid translated here is what the Wagtail admin shows too ("Pages" read 分页 in its
# menu, "Publish" 公示 on its button). Our own senses of such words take a message
# context; a plain msgid may differ from theirs only by a synonym, or where the lecture
# hall rewords Wagtail's admin on purpose.
SAME_MEANING = {
    "name", "description", "Description", "Change", "Remove", "Saving…", "Image", "started at", "Completed at",
    "Search", "Breadcrumb", "Account", "This field is required.", "Enter a whole number.", "Filter", "Action",
    "All", "Page not found", "Log out", "staff status",
}
LECTURE_HALL_WORDING = {
    "live", "live + scheduled", "Disabled", "slug", "Request changes", "Changes requested", "Changes requested at",
    "Changes requested by %(requested_by)s", "Rejected at '%(task)s'. Changes requested", "%(label)s and Publish",
    "%(time_period)s ago", "Last published before",
    "The name of the page as it will appear in URLs e.g http://domain.com/blog/[my-slug]/",
    # The history's count line is "<count> <plural name>": 5 条历史记录, not 5 页面日志条目.
    "page log entry", "page log entries", "model log entry", "model log entries",
}


def _installed_translations() -> dict[tuple[str | None, str], str]:
    """Every zh_Hans translation of the installed apps that are not ours, and Django's."""
    import django
    from django.apps import apps

    ours = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    # In Django's order: the first installed app's translation wins, Django's own come last.
    dirs = [Path(a.path) for a in apps.get_app_configs() if Path(a.path).parent != ROOT and a.label not in ours]
    dirs.append(Path(django.__file__).parent / "conf")
    found: dict[tuple[str | None, str], str] = {}
    for directory in dirs:
        mo_path = directory / "locale/zh_Hans/LC_MESSAGES/django.mo"
        if mo_path.exists():
            for entry in polib.mofile(str(mo_path)):
                if entry.msgstr:
                    found.setdefault((entry.msgctxt, entry.msgid), entry.msgstr)
    return found


def test_our_catalogues_do_not_rename_wagtails_or_djangos_words():
    theirs = _installed_translations()
    assert theirs[(None, "Pages")] == "页面"
    renamed = []
    for path in CATALOGUES:
        if path.stem != "django":
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            key = (entry.msgctxt, entry.msgid)
            if entry.msgctxt or entry.msgid_plural or key not in theirs or theirs[key] == entry.msgstr:
                continue
            if entry.msgid not in SAME_MEANING | LECTURE_HALL_WORDING:
                renamed.append(f"{entry.msgid!r}: {entry.msgstr!r} ({path.relative_to(ROOT).parts[0]}) for {theirs[key]!r}")
    assert renamed == [], "give our use a pgettext context:\n" + "\n".join(renamed)
