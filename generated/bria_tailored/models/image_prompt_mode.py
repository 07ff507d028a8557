from enum import StrEnum
from typing import Any


class ImagePromptMode(StrEnum):
    REGULAR = "regular"
    STYLE_ONLY = "style_only"

    @classmethod
    def _missing_(cls, value: Any) -> "ImagePromptMode | None":
        # Bria adds enum values without notice; an unknown value must parse, not raise.
        if not isinstance(value, str):
            return None
        # Bria writes some values in two cases (upload_model: "completed" in its prose,
        # "Completed" in its example): a case-only difference is the known member.
        for known in cls:
            if known.value.casefold() == value.casefold():
                return known
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """False for a value this client version was not generated with."""
        return self._value_ in type(self)._value2member_map_

    def __str__(self) -> str:
        return str(self.value)
