"""Compile zh_Hans catalogues to .mo with polib (no GNU gettext needed).

Usage: python scripts/compile_messages.py [OWNER ...]   (owners: locale, officers, lessons, ...)
With no owner, every catalogue is compiled.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
owners = sys.argv[1:]

for po_path in sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django*.po")):
    relative = po_path.relative_to(ROOT)
    if ".venv" in relative.parts or (owners and relative.parts[0] not in owners):
        continue
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {relative}: {po.percent_translated()}% translated")
