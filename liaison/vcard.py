"""Contact cards (vCard 3.0, RFC 2426) that people save to their phones.

vCard 3.0 is what phones import most reliably. Lines end with CRLF, text is
escaped and long lines are folded at 75 octets without splitting a UTF-8
character. A saved contact can be seen by anyone who picks up the phone, so
unless site.yaml's vcard_mentions_lgbt is true the cards never say "LGBT+":
the title is "Community Liaison Officer" and no web address (which may name
the site) is included.
"""
from __future__ import annotations

NEUTRAL_TITLE = "Community Liaison Officer"
LGBT_TITLE = "LGBT+ Liaison Officer"
CONTACTS_DIR = "contacts"
MAX_OCTETS = 75


def officer_card_path(officer):
    return f"{CONTACTS_DIR}/officers/{officer['id']}.vcf"


def borough_card_path(borough):
    return f"{CONTACTS_DIR}/boroughs/{borough['id']}.vcf"


def escape(text):
    """Escape a TEXT value (RFC 2426 section 4): backslash, comma, semicolon, newline."""
    return (str(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line):
    """Split a content line into lines of at most 75 octets, each continuation starting with a space."""
    if len(line) <= MAX_OCTETS and (line.isascii() or len(line.encode("utf-8")) <= MAX_OCTETS):
        return line  # most lines: nothing to split
    if line.isascii():  # one octet a character: cut by position
        pieces = [line[:MAX_OCTETS]]
        pieces += [line[i:i + MAX_OCTETS - 1] for i in range(MAX_OCTETS, len(line), MAX_OCTETS - 1)]
        return "\r\n ".join(pieces)
    pieces, current, size = [], [], 0
    limit = MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # the leading space counts
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def prop(name, *components, params=""):
    """One property; several components are joined with ';' (structured values such as N)."""
    value = ";".join(escape(c or "") for c in components)
    return fold(f"{name}{';' + params if params else ''}:{value}")


def card(lines):
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n"


def split_name(name):
    """(family, given): the last word is taken as the family name."""
    words = name.split()
    return (words[-1], " ".join(words[:-1])) if len(words) > 1 else (name, "")


def join_names(names):
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def officer_note(officer, force, mentions_lgbt):
    parts = []
    if not (officer.get("phone") or officer.get("email")) and force:
        what = "LGBT+ liaison officer" if mentions_lgbt else "liaison officer"
        parts.append(f"Call {force['non_emergency'].display} and ask to leave a message for {officer['name']}, {what}.")
    parts.append("Not for emergencies: call 999.")
    if officer["role"] == "volunteer":
        parts.append(f"{officer['name']} volunteers in this role beside other duties, so a reply may take a few days.")
    if officer["boroughs"]:
        parts.append(f"Covers {join_names(b['name'] for b in officer['boroughs'])}.")
    return " ".join(parts)


def officer_lines(officer, site):
    mentions_lgbt = bool(site.get("vcard_mentions_lgbt"))
    force = officer["force"]
    family, given = split_name(officer["name"])
    title = LGBT_TITLE if mentions_lgbt else NEUTRAL_TITLE
    if officer["role"] == "volunteer":
        title = "Volunteer " + title
    lines = [prop("N", family, given, "", officer.get("rank") or "", ""),
             prop("FN", officer["full_name"])]
    if force:
        lines.append(prop("ORG", force["name"]))
    lines.append(prop("TITLE", title))
    if officer.get("email"):
        lines.append(prop("EMAIL", officer["email"], params="TYPE=INTERNET,WORK"))
    if officer.get("phone"):
        lines.append(prop("TEL", officer["phone"].tel, params="TYPE=WORK,VOICE"))
    elif force:
        lines.append(prop("TEL", force["non_emergency"].tel, params="TYPE=WORK,VOICE"))
    lines.append(prop("NOTE", officer_note(officer, force, mentions_lgbt)))
    if mentions_lgbt and site.get("base_url"):
        lines.append(prop("URL", site["base_url"] + officer["url"]))
    return lines


def force_lines(force, borough, site):
    """For an area with no officer: the force's non-emergency line."""
    what = "an LGBT+ liaison officer" if site.get("vcard_mentions_lgbt") else "a liaison officer"
    note = (f"Non-emergency number for {borough['name']}. Ask for {what}. "
            "Not for emergencies: call 999.")
    return [prop("N", force["name"], "", "", "", ""), prop("FN", force["name"]), prop("ORG", force["name"]),
            prop("TEL", force["non_emergency"].tel, params="TYPE=WORK,VOICE"),
            prop("URL", force["website"]), prop("NOTE", note)]


def officer_card(officer, site):
    return card(officer_lines(officer, site))


def borough_vcard(borough, site, cards):
    """Every officer for the area; with none, the force and the officers next door.

    cards: {officer id: card}, made once for every officer (contact_files)."""
    if borough["officers"]:
        parts = [cards[o["id"]] for o in borough["officers"]]
    else:
        parts = [card(force_lines(borough["force"], borough, site))]
        parts += [cards[o["id"]] for o in borough["neighbour_officers"]]
    return "".join(parts).encode("utf-8")


def files(ctx):
    """The contact cards: an output of the build (outputs.py)."""
    return contact_files(ctx)


def contact_files(ctx):
    """{output path: bytes} for every officer's and every borough's card.

    Each officer's card is made once: an area's card repeats the cards of its
    officers (one to three areas an officer in the benchmark's national data)."""
    cards = {o["id"]: officer_card(o, ctx.site) for o in ctx.officers}
    files = {officer_card_path(o): cards[o["id"]].encode("utf-8") for o in ctx.officers}
    files.update({borough_card_path(b): borough_vcard(b, ctx.site, cards) for b in ctx.boroughs})
    return files
