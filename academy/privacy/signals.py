"""Asked before an account is closed, so that a domain with business still open for the person can say
so without the privacy domain naming it. Receivers return a reason (text) or None."""
from blinker import Namespace

_signals = Namespace()

# sender: the user whose account would be closed
closing_blocked = _signals.signal("account-closing-blocked")


def reasons_not_to_close(user) -> list[str]:
    return [str(answer) for _receiver, answer in closing_blocked.send(user) if answer]
