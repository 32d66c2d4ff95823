"""Messages Django shows to officers that its own zh_Hans catalogue does not translate.

Django 5.2's MinimumLengthValidator asks gettext for a msgid written with ``%d``,
while its zh_Hans catalogue only has the older ``%(min_length)d`` one, so the error
appeared in English on Chinese pages. Naming the msgid here puts it in our catalogue
(``makemessages``), where the translation is found first. Nothing imports this module.
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
