"""Fill msgstr entries of a catalogue from a JSON file of {msgid: msgstr}.

Usage: python scripts/fill_translations.py APP_OR_locale translations.json
A plural entry takes a list [singular, plural] (Chinese has one form: both the same).
Then run scripts/compile_messages.py. Entries already translated are overwritten
only when the JSON names them.
"""

import json
import sys
from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent
owner, source = sys.argv[1], sys.argv[2]
po_path = root / owner / "locale/zh_Hans/LC_MESSAGES/django.po" if owner != "locale" else root / "locale/zh_Hans/LC_MESSAGES/django.po"
po = polib.pofile(str(po_path))
po.metadata["Language"] = "zh_Hans"
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
translations = json.loads(Path(source).read_text(encoding="utf-8"))
for entry in po:
    if entry.msgid not in translations:
        continue
    value = translations[entry.msgid]
    if entry.msgid_plural:
        entry.msgstr_plural = {0: value[0] if isinstance(value, list) else value}
    else:
        entry.msgstr = value
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
po.save()
left = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
print(f"{po_path.relative_to(root)}: {len(left)} left untranslated")
for msgid in left:
    print("  ", repr(msgid))
