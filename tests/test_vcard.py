"""vcard.py: vCard 3.0 contact cards for every officer and every area, which never say "LGBT+" unless asked."""
from __future__ import annotations

from conftest import TODAY
from liaison import vcard
from liaison.context import build_context
from liaison.load import load
from liaison.phones import Phone
from liaison.validate import validate
from liaison.vcard import borough_vcard, escape, fold, officer_card, split_name

FORCE = {"name": "Test Police", "non_emergency": Phone("101", "101"), "website": "https://police.example.org"}
OPTED_IN = {"vcard_mentions_lgbt": True, "base_url": "https://example.org/lgbt/"}

# The fixture project's cards, as tests/golden/site/contacts/ holds them.
ALEX = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Example;Alex;;PC;\r\nFN:PC Alex Example\r\nORG:Test Police\r\n"
        b"TITLE:Community Liaison Officer\r\nEMAIL;TYPE=INTERNET,WORK:alex.example@example.org\r\n"
        b"TEL;TYPE=WORK,VOICE:+442079460001\r\nNOTE:Not for emergencies: call 999. Covers Northtown.\r\n"
        b"END:VCARD\r\n")
SOUTHTOWN_FORCE = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Test Police;;;;\r\nFN:Test Police\r\nORG:Test Police\r\n"
                   b"TEL;TYPE=WORK,VOICE:101\r\nURL:https://police.example.org\r\n"
                   b"NOTE:Non-emergency number for Southtown. Ask for a liaison officer. Not for\r\n"
                   b"  emergencies: call 999.\r\nEND:VCARD\r\n")


def context_of(root, base_url=None):
    data, problems = validate(load(root), TODAY)
    assert problems == []
    return build_context(data, base_url, TODAY, root)


def volunteer(**changes):
    """An officer as the context gives it: areas resolved, phone numbers parsed."""
    areas = [{"name": name, "force": FORCE} for name in ("Southtown", "Northtown", "Westtown")]
    return {"id": "sam-volunteer", "name": "Sam Volunteer", "full_name": "Sam Volunteer", "rank": None,
            "role": "volunteer", "boroughs": areas, "email": None, "phone": None, "url": "officers/sam-volunteer/",
            "force": FORCE, **changes}


def unfolded(card):
    return card.replace("\r\n ", "")


# --- escape, fold, names ------------------------------------------------------------------

def test_vcard_text_is_escaped():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_every_kind_of_line_break_is_escaped_as_one_newline():
    assert escape("a\r\nb\rc\nd") == "a\\nb\\nc\\nd"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "NOTE:" + "é" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_a_long_ascii_line_is_cut_at_75_octets_then_74_after_the_leading_space():
    assert fold("a" * 75) == "a" * 75
    assert fold("a" * 200) == "a" * 75 + "\r\n " + "a" * 74 + "\r\n " + "a" * 51


def test_a_line_of_few_characters_but_more_than_75_octets_is_folded():
    # 3 + 2 * 40 = 83 octets in 43 characters: 36 two-octet characters fill the first line exactly.
    assert fold("FN:" + "ü" * 40) == "FN:" + "ü" * 36 + "\r\n " + "ü" * 4


def test_the_last_word_of_a_name_is_the_family_name():
    assert split_name("Alex Example") == ("Example", "Alex")
    assert split_name("Mary Jane  Smith") == ("Smith", "Mary Jane")
    assert split_name("Cher") == ("Cher", "")


# --- cards --------------------------------------------------------------------------------

def test_a_volunteer_without_phone_or_email_is_reached_through_the_forces_number():
    assert unfolded(officer_card(volunteer(), {})) == (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Volunteer;Sam;;;\r\nFN:Sam Volunteer\r\nORG:Test Police\r\n"
        "TITLE:Volunteer Community Liaison Officer\r\nTEL;TYPE=WORK,VOICE:101\r\n"
        "NOTE:Call 101 and ask to leave a message for Sam Volunteer\\, liaison officer. "
        "Not for emergencies: call 999. Sam Volunteer volunteers in this role beside other duties\\, "
        "so a reply may take a few days. Covers Southtown\\, Northtown and Westtown.\r\nEND:VCARD\r\n")


def test_a_card_says_lgbt_and_links_the_site_only_when_the_site_opts_in():
    card = unfolded(officer_card(volunteer(role="full-time", phone=Phone("020 7946 0002", "+442079460002")), OPTED_IN))
    assert "TITLE:LGBT+ Liaison Officer\r\nTEL;TYPE=WORK,VOICE:+442079460002\r\n" in card
    assert "NOTE:Not for emergencies: call 999. Covers Southtown\\, Northtown and Westtown.\r\n" in card
    assert card.endswith("URL:https://example.org/lgbt/officers/sam-volunteer/\r\nEND:VCARD\r\n")
    assert "LGBT" not in officer_card(volunteer(), {"base_url": "https://example.org/lgbt/"})
    assert "URL:" not in officer_card(volunteer(), {"base_url": "https://example.org/lgbt/"})


def test_an_area_card_repeats_the_cards_made_for_its_officers_in_its_order():
    borough = {"officers": [{"id": "b"}, {"id": "a"}]}
    assert borough_vcard(borough, {}, {"a": "A\r\n", "b": "B\r\n"}) == b"B\r\nA\r\n"


def test_an_area_without_officers_has_the_forces_card_then_the_officers_next_door():
    borough = {"name": "Southtown", "force": FORCE, "officers": [], "neighbour_officers": [{"id": "a"}]}
    made = borough_vcard(borough, OPTED_IN, {"a": "A\r\n"})
    assert made == (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Test Police;;;;\r\nFN:Test Police\r\nORG:Test Police\r\n"
                    b"TEL;TYPE=WORK,VOICE:101\r\nURL:https://police.example.org\r\n"
                    b"NOTE:Non-emergency number for Southtown. Ask for an LGBT+ liaison officer. \r\n"
                    b" Not for emergencies: call 999.\r\nEND:VCARD\r\nA\r\n")


def test_files_are_a_card_for_every_officer_and_every_area(make_project):
    assert vcard.files(context_of(make_project())) == {
        "contacts/officers/alex-example.vcf": ALEX,
        "contacts/boroughs/northtown.vcf": ALEX,
        "contacts/boroughs/southtown.vcf": SOUTHTOWN_FORCE + ALEX,
    }
