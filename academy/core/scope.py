"""Who sees which figures: a subdistrict administrator only their own subdistrict, everywhere."""
from dataclasses import dataclass

from academy.core.permissions import Role


@dataclass(frozen=True)
class Scope:
    subdistrict_id: int | None  # None: the whole district

    @classmethod
    def of(cls, user) -> "Scope":
        return cls(user.street_id if user.role == Role.STREET_ADMIN else None)

    def narrow(self, requested: int | None) -> int | None:
        """The subdistrict to filter on: the scope wins over whatever was asked for."""
        return self.subdistrict_id if self.subdistrict_id is not None else requested
