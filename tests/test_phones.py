"""UK phone numbers parsed with the phonenumbers library: a display form people read and a tel: form."""
from __future__ import annotations

import pytest

from liaison.phones import Phone, parse_phone


@pytest.mark.parametrize("text, display, tel", [
    ("999", "999", "999"),
    ("112", "112", "112"),
    ("101", "101", "101"),
    ("111", "111", "111"),
    ("18000", "18000", "18000"),
    ("18001 101", "18001 101", "18001101"),
    ("18001101", "18001 101", "18001101"),
    ("116 123", "116 123", "116123"),
    ("116123", "116 123", "116123"),
    (999, "999", "999"),  # YAML reads an unquoted 999 as a number
])
def test_short_numbers_the_public_needs_are_accepted_and_grouped(text, display, tel):
    assert parse_phone(text) == Phone(display, tel)


@pytest.mark.parametrize("text, display, tel", [
    ("0800 0119 100", "0800 0119 100", "+448000119100"),  # an organisation's own grouping is kept
    ("08009995428", "0800 999 5428", "+448009995428"),
    ("07911123456", "07911 123456", "+447911123456"),
    ("+442079460018", "020 7946 0018", "+442079460018"),
    ("+44 20 7946 0018", "+44 20 7946 0018", "+442079460018"),
    ("  020  7946 0018 ", "020 7946 0018", "+442079460018"),
    ("(020) 7946-0018", "(020) 7946-0018", "+442079460018"),
])
def test_a_number_written_with_spaces_keeps_them_and_one_without_is_grouped_the_standard_way(text, display, tel):
    assert parse_phone(text) == Phone(display, tel)


@pytest.mark.parametrize("text, message", [
    ("ask at the desk", "'ask at the desk' is not a phone number"),
    ("020", "'020' is not a valid UK phone number"),
    ("020 7946 00188", "'020 7946 00188' is not a valid UK phone number"),
    ("1160001", "'1160001' is not a valid UK phone number"),
])
def test_what_is_not_a_number_or_not_a_valid_one_is_refused_with_a_message(text, message):
    with pytest.raises(ValueError) as error:
        parse_phone(text)
    assert str(error.value) == message


def test_a_phone_prints_as_people_read_it():
    assert str(parse_phone("08009995428")) == "0800 999 5428"


@pytest.mark.parametrize("text, display, tel", [
    ("020 7946 0018", "020 7946 0018", "+442079460018"),
    ("02079460018", "020 7946 0018", "+442079460018"),
    ("01481 222222", "01481 222222", "+441481222222"),  # Guernsey shares +44
    ("01624 686868", "01624 686868", "+441624686868"),  # Isle of Man
    ("+33 1 42 68 53 00", "+33 1 42 68 53 00", "+33142685300"),
])
def test_phone_numbers_of_the_uk_crown_dependencies_and_abroad_are_accepted(text, display, tel):
    from liaison.phones import Phone, parse_phone

    assert parse_phone(text) == Phone(display, tel)


@pytest.mark.parametrize("text", ["07700 900123", "01632 960000"])  # ranges Ofcom keeps for drama
def test_numbers_outside_the_allocated_ranges_are_refused(text):
    from liaison.phones import parse_phone

    with pytest.raises(ValueError, match=f"'{text}' is not a valid UK phone number"):
        parse_phone(text)
