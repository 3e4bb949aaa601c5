"""argparse's own words (usage, error, the help's headings), listed so that the catalog
extraction finds them: argparse asks the program's catalog for them once ``cli.speak`` has
given it that catalog. Never imported."""

from protocol_desk.i18n import _, ngettext

ARGPARSE_WORDS = (
    _("usage: "),
    _("argument %(argument_name)s: %(message)s"),
    _("positional arguments"),
    _("options"),
    _("show this help message and exit"),
    _("unrecognized arguments: %s"),
    _("not allowed with argument %s"),
    _("ignored explicit argument %r"),
    _("the following arguments are required: %s"),
    _("one of the arguments %s is required"),
    _("expected one argument"),
    _("expected at most one argument"),
    _("expected at least one argument"),
    ngettext("expected %s argument", "expected %s arguments", 2),
    _("ambiguous option: %(option)s could match %(matches)s"),
    _("unexpected option string: %s"),
    _("invalid %(type)s value: %(value)r"),
    _("invalid choice: %(value)r (choose from %(choices)s)"),
    _("%(prog)s: error: %(message)s\n"),
    _("can't open '%(filename)s': %(error)s"),
)
