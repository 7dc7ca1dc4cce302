"""The national emergency and crisis numbers shown first on the get-help page and in the crisis reply.

Real, nationwide numbers (not samples): they are the same for every city and are not edited in the
admin, so that no mistake in a form can hide them.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EmergencyLine:
    number: str
    dial: str  # what a tel: link dials
    name: str
    when: str
    hours: str


def emergency_lines():
    """Emergency first, then the children's line, then the crisis lines, in that order."""
    return [
        EmergencyLine(
            "119",
            "119",
            _("Ambulance"),
            _("Someone is badly hurt or seriously ill, is not breathing or cannot be woken."),
            _("24 hours"),
        ),
        EmergencyLine(
            "#8000",
            "%238000",
            _("Children's emergency telephone consultation"),
            _(
                "Your child is suddenly ill at night or on a holiday and you are unsure whether to go "
                "to hospital."
            ),
            _("Evenings, nights and holidays (hours depend on the prefecture)"),
        ),
        EmergencyLine(
            "0120-279-338",
            "0120279338",
            _("Yorisoi Hotline"),
            _("You feel you cannot go on, or you are suffering violence at home. Free of charge."),
            _("24 hours"),
        ),
        EmergencyLine(
            "0570-783-556",
            "0570783556",
            _("Inochi no Denwa (lifeline)"),
            _("You feel you want to die or disappear and need someone to talk to."),
            _("10:00 to 22:00"),
        ),
        EmergencyLine(
            "189",
            "189",
            _("Child guidance centre line"),
            _("A child may be in danger, or you fear you might hurt your child."),
            _("24 hours"),
        ),
    ]


def emergency_text():
    """The numbers as plain text lines, for the LINE crisis reply's fallback and footer."""
    return "\n".join(f"{line.name}: {line.number} ({line.hours})" for line in emergency_lines())
