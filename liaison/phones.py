"""UK phone numbers: parsed, checked and formatted with the phonenumbers library."""
from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

REGION = "GB"
# Short numbers that phonenumbers does not treat as ordinary numbers but the
# public needs: emergency, non-emergency, NHS 111, text relay, 116 helplines.
_SHORT = re.compile(r"^(999|112|101|111|18000|18001 ?\d{3,11}|116 ?\d{3})$")


@dataclass(frozen=True)
class Phone:
    display: str  # as people read it, e.g. 0800 999 5428
    tel: str  # for a tel: link, e.g. +448009995428

    def __str__(self):
        return self.display


def parse_phone(text):
    """Return a Phone, or raise ValueError with a message for the person editing."""
    text = str(text).strip()
    compact = re.sub(r"[\s\-()]", "", text)
    if _SHORT.match(text) or _SHORT.match(compact):
        display = f"18001 {compact[5:]}" if compact.startswith("18001") else compact
        display = f"116 {compact[3:]}" if compact.startswith("116") else display
        return Phone(display, compact)
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        raise ValueError(f"'{text}' is not a phone number") from None
    # GB first: is_valid_number first finds which of GB, Guernsey, Isle of Man and Jersey
    # a +44 number belongs to, then checks it again for that region (15 % slower for GB).
    if not (phonenumbers.is_valid_number_for_region(number, REGION) or phonenumbers.is_valid_number(number)):
        raise ValueError(f"'{text}' is not a valid UK phone number")
    fmt = phonenumbers.PhoneNumberFormat
    style = fmt.NATIONAL if number.country_code == 44 else fmt.INTERNATIONAL
    # Keep an organisation's own grouping (people remember "0800 0119 100");
    # group a number written without spaces the standard way.
    display = " ".join(text.split()) if " " in text else phonenumbers.format_number(number, style)
    return Phone(display, phonenumbers.format_number(number, fmt.E164))
