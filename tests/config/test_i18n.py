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
