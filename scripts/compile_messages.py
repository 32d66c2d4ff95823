"""Compile every zh_Hans catalogue to .mo with polib (no GNU gettext needed at install)."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

for po_path in sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po")) + sorted(
    ROOT.glob("locale/*/LC_MESSAGES/django.po")
):
    if ".venv" in po_path.parts:
        continue
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path.relative_to(ROOT)}: {po.percent_translated()}% translated")
