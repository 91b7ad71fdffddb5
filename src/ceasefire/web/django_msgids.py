"""Django's own messages that Django ships no Pashto for, listed so that `makemessages` keeps them in our catalogue.

Dates on a Pashto page take their month names through gettext (django/utils/dates.py) and file sizes their units
(the filesizeformat filter); without these entries they would show in English. Nothing imports this module: it is
read only by makemessages, and the msgids (and contexts) must stay exactly Django's.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

MONTHS = (
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
    gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
    gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
)  # fmt: skip
# The "M" date format ("24 Nov 2025") reads these, title-cased.
MONTHS_3 = (
    gettext_noop("jan"), gettext_noop("feb"), gettext_noop("mar"), gettext_noop("apr"),
    gettext_noop("may"), gettext_noop("jun"), gettext_noop("jul"), gettext_noop("aug"),
    gettext_noop("sep"), gettext_noop("oct"), gettext_noop("nov"), gettext_noop("dec"),
)  # fmt: skip
MONTHS_AP = (
    pgettext_lazy("abbrev. month", "Jan."), pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"), pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"), pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"), pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."), pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."), pgettext_lazy("abbrev. month", "Dec."),
)  # fmt: skip
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"), pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
)  # fmt: skip
FILE_SIZES = (
    ngettext_lazy("%(size)d byte", "%(size)d bytes", "size"),
    gettext_noop("%s KB"), gettext_noop("%s MB"), gettext_noop("%s GB"), gettext_noop("%s TB"), gettext_noop("%s PB"),
)  # fmt: skip
