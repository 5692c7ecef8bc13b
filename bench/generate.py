#!/usr/bin/env python3
"""Write a synthetic national directory: every force in England and Wales, at any size.

    python bench/generate.py DEST --officers 10000 [--boroughs 400] [--forces 43]
                             [--organisations N/4] [--seed 1]

The data is fictional but shaped like the real thing (officers covering one to
three neighbouring boroughs, some boroughs with no officer, local and national
organisations, a reporting route per force) and passes `build.py check` with
no error and no warning. The same arguments always give the same bytes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VERIFIED_ON = dt.date(2026, 11, 1)  # a fixed date keeps the output reproducible

SYLLABLES = ("ash", "bar", "brook", "bury", "by", "cas", "ter", "chester", "combe", "dale", "den", "don",
             "ford", "gate", "ham", "hurst", "ing", "kirk", "lea", "ley", "low", "mere", "minster",
             "mouth", "ness", "ton", "stow", "thorp", "wick", "worth", "wood", "field", "mar", "nor",
             "pen", "ros", "sel", "tam", "wal", "wes", "hal", "kel", "lan", "mel", "ren", "sut")
FIRST_NAMES = ("Alex", "Sam", "Jordan", "Priya", "Daniel", "Aisha", "Tomasz", "Chloe", "Kwame", "Morgan",
               "Rhys", "Siobhan", "Yusuf", "Grace", "Oliver", "Mei", "Harriet", "Kofi", "Elena", "Callum",
               "Niamh", "Farah", "Owen", "Zara", "Ben", "Leila", "Dylan", "Hannah", "Ravi", "Ffion")
SURNAMES = ("Morgan", "Okafor", "Raman", "Whitfield", "Nowak", "Hughes", "Patel", "Evans", "Campbell",
            "Mensah", "Khan", "Jones", "Williams", "Taylor", "Davies", "Brown", "Wilson", "Thomas", "Roberts",
            "Walker", "Wright", "Robinson", "Thompson", "White", "Green", "Hall", "Wood", "Clarke", "Lewis")
RANKS = ("PC", "PC", "PC", "Sergeant", "PCSO", "DC", "Inspector", None)
PRONOUNS = ("she/her", "he/him", "they/them", None)
LANGUAGES = ("Welsh", "Polish", "Urdu", "Punjabi", "Bengali", "Gujarati", "Romanian", "Arabic", "Somali",
             "Portuguese", "BSL", "Spanish")
# Number ranges Ofcom reserves for fiction: valid, and nobody's real number.
PHONE_PREFIXES = ("020 7946 0", "0113 496 0", "0114 496 0", "0116 496 0", "0117 496 0", "0118 496 0",
                  "0121 496 0", "0131 496 0", "0141 496 0", "0151 496 0", "0161 496 0", "0191 498 0",
                  "029 2018 0")
SERVICES = ("helpline", "advocacy", "counselling", "domestic-abuse", "hate-crime-support", "sexual-violence",
            "youth", "trans-support", "social-group", "legal-advice", "housing", "health")
ORG_KINDS = ("LGBT+ Centre", "Pride", "Switchboard", "Youth Group", "Advice Service", "Trans Support Group",
             "Community Project", "Rainbow Network")
BIO_OPENINGS = (
    "{first} is the LGBT+ liaison officer for {areas}. {They} can help you report a hate crime or incident and will keep you updated on what happens next.",
    "{first} covers {areas}. {They} {work} closely with local LGBT+ groups and can meet you somewhere you feel comfortable, not only at a police station.",
    "{first} volunteers as a liaison officer in {areas} beside {their} day job. {They} can explain your options before you decide whether to make a report.",
)
BIO_ENDINGS = (
    "{They} also {run} drop-in sessions at community venues.",
    "Ask for {first} when you call 101, and leave a message if {they} {are} not on duty.",
    "{first}'s team meets local groups every month.",
    "",
)
# One text in twenty uses Markdown syntax, so the full Markdown renderer is measured too.
RICH_ENDING = "Read **what to expect** when you report, or see [other ways to report](https://www.report-it.org.uk)."


def q(text):
    """A YAML double-quoted string."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def block(text, indent="    "):
    return "|\n" + "".join(f"{indent}{line}\n" if line else "\n" for line in text.split("\n"))


class Names:
    """Unique, pronounceable place names from a seeded generator."""

    def __init__(self, rng):
        self.rng, self.used = rng, set()

    def place(self):
        while True:
            name = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.choice((2, 2, 3)))).capitalize()
            if self.rng.random() < 0.2:
                name += self.rng.choice((" Vale", " Heath", " and District", " Borough", " Hills"))
            if name not in self.used:
                self.used.add(name)
                return name


def slug(text):
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def phone(rng):
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(1000):03d}"


def verified(rng):
    return VERIFIED_ON - dt.timedelta(days=rng.randrange(90))


def make_forces(count, names):
    forces = []
    for i in range(count):
        name = f"{names.place()} {'Police' if i % 3 else 'Constabulary'}"
        forces.append({"id": slug(name), "name": name})
    return forces


def make_boroughs(count, forces, names, rng):
    boroughs = []
    for i in range(count):
        name = names.place()
        force = forces[i * len(forces) // count]
        area = rng.choice("ABCDEFGHJKLMNPRSTUWY") + rng.choice("ABCDEFGHKLMNPRSTUWY")  # no I, J or Z second
        districts = sorted({f"{area}{rng.randrange(1, 30)}" for _ in range(rng.randrange(2, 7))})
        boroughs.append({"id": slug(name), "name": name, "force": force["id"], "postcodes": districts,
                         "neighbours": set()})
    for i, borough in enumerate(boroughs):  # a ring, plus a chord: every pair listed both ways
        for j in ((i + 1) % count, (i + 7) % count):
            if j != i:
                borough["neighbours"].add(boroughs[j]["id"])
                boroughs[j]["neighbours"].add(borough["id"])
    return boroughs


def officer_bio(rng, first, pronoun, areas, rich):
    they, their = {"she/her": ("She", "her"), "he/him": ("He", "his")}.get(pronoun, ("They", "their"))
    plural = they == "They"
    words = {"first": first, "areas": areas, "They": they, "they": they.lower(), "their": their,
             "work": "work" if plural else "works", "run": "run" if plural else "runs",
             "are": "are" if plural else "is"}
    text = rng.choice(BIO_OPENINGS).format(**words)
    ending = RICH_ENDING if rich else rng.choice(BIO_ENDINGS).format(**words)
    if ending:
        text += ("\n\n" if rng.random() < 0.5 else " ") + ending
    return "\n\n".join(textwrap.fill(paragraph, 90, break_on_hyphens=False) for paragraph in text.split("\n\n"))


def join_names(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def make_officers(count, boroughs, rng):
    covered = [b for i, b in enumerate(boroughs) if i % 25 != 3]  # some boroughs have no officer
    index = {b["id"]: i for i, b in enumerate(boroughs)}
    ids, officers = set(), []
    for i in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        ident = slug(f"{first} {last}")
        if ident in ids:
            ident = f"{ident}-{i}"
        ids.add(ident)
        home = rng.choice(covered)
        areas = [home]
        for _ in range(rng.choice((0, 0, 1, 2))):
            nearby = boroughs[(index[home["id"]] + rng.choice((1, 7))) % len(boroughs)]
            if nearby in covered and nearby not in areas:
                areas.append(nearby)
        pronoun = rng.choice(PRONOUNS)
        officer = {"id": ident, "name": f"{first} {last}", "rank": rng.choice(RANKS), "pronouns": pronoun,
                   "role": "full-time" if rng.random() < 0.4 else "volunteer",
                   "boroughs": sorted(b["id"] for b in areas), "email": f"{ident}@example.org",
                   "phone": phone(rng) if rng.random() < 0.8 else None,
                   "languages": ["English", rng.choice(LANGUAGES)] if rng.random() < 0.3 else None,
                   "bio": officer_bio(rng, first, pronoun, join_names([b["name"] for b in areas]), i % 20 == 7),
                   "verified": verified(rng), "notes": "Private note: never published." if i % 10 == 0 else None}
        officers.append(officer)
    return officers


def make_organisations(count, boroughs, rng):
    organisations, ids = [], set()
    for i in range(count):
        national = i % 50 == 0
        area = rng.choice(boroughs)
        name = f"{'National' if national else area['name']} {rng.choice(ORG_KINDS)}"
        ident = slug(name)
        if ident in ids:
            ident = f"{ident}-{i}"
            name = f"{name} {i}"
        ids.add(ident)
        services = sorted(set(rng.sample(SERVICES, rng.randrange(1, 4))), key=SERVICES.index)
        reporting = rng.random() < 0.2
        description = (f"{name} supports LGBT+ people {'across England and Wales' if national else 'in ' + area['name']}"
                       f", with {SERVICES_TEXT[services[0]]}.")
        if reporting:
            description += " It is a third-party reporting centre: it can pass a report to the police for you."
        if i % 20 == 11:
            description += "\n\n" + RICH_ENDING
        description = "\n\n".join(textwrap.fill(paragraph, 90, break_on_hyphens=False) for paragraph in description.split("\n\n"))
        organisations.append({"id": ident, "name": name, "description": description, "services": services,
                              "national": national, "boroughs": [] if national else [area["id"]],
                              "reporting": reporting, "phone": phone(rng) if rng.random() < 0.7 else None,
                              "email": f"hello@{ident}.example.org" if rng.random() < 0.6 else None,
                              "website": f"https://{ident}.example.org",
                              "address": (f"{rng.randrange(1, 200)} High Street", area["name"], f"{area['postcodes'][0]} {rng.randrange(1, 10)}AB")
                              if not national and rng.random() < 0.5 else None,
                              "verified": verified(rng)})
    return organisations


SERVICES_TEXT = {
    "helpline": "a helpline", "advocacy": "advocacy", "counselling": "counselling",
    "domestic-abuse": "support after domestic abuse", "hate-crime-support": "hate crime support",
    "sexual-violence": "support after sexual violence", "youth": "groups for young people",
    "trans-support": "support for trans and non-binary people", "social-group": "social groups",
    "legal-advice": "legal advice", "housing": "housing advice", "health": "health services",
}


def site_yaml(forces):
    lines = ['title: "LGBT+ Liaison Officers Directory (synthetic national data)"',
             'description: "A synthetic directory of every police force in England and Wales, for benchmarks."',
             "language: en-GB", "exit_url: https://www.bbc.co.uk/weather", "review_after_days: 180", "forces:"]
    for force in forces:
        lines += [f"  - id: {force['id']}", f"    name: {q(force['name'])}",
                  f"    website: https://{force['id']}.police.example.org", '    non_emergency: "101"',
                  f"    online_report_url: https://{force['id']}.police.example.org/report/hate-crime/"]
    return "\n".join(lines) + "\n"


def boroughs_yaml(boroughs):
    out = []
    for b in boroughs:
        out.append(f"- id: {b['id']}\n  name: {q(b['name'])}\n  force: {b['force']}\n"
                   f"  postcode_districts: [{', '.join(b['postcodes'])}]\n"
                   f"  neighbours: [{', '.join(sorted(b['neighbours']))}]\n"
                   + ("  no_officer: true\n" if b.get("no_officer") else ""))
    return "\n".join(out)


def officers_yaml(officers):
    out = []
    for o in officers:
        text = f"- id: {o['id']}\n  name: {q(o['name'])}\n"
        text += f"  rank: {o['rank']}\n" if o["rank"] else ""
        text += f"  pronouns: {o['pronouns']}\n" if o["pronouns"] else ""
        text += f"  role: {o['role']}\n  boroughs: [{', '.join(o['boroughs'])}]\n  email: {o['email']}\n"
        text += f"  phone: {q(o['phone'])}\n" if o["phone"] else ""
        text += f"  languages: [{', '.join(o['languages'])}]\n" if o["languages"] else ""
        text += f"  bio: {block(o['bio'])}  last_verified: {o['verified'].isoformat()}\n"
        text += f"  notes: {q(o['notes'])}\n" if o["notes"] else ""
        out.append(text)
    return "\n".join(out)


def organisations_yaml(organisations):
    out = []
    for o in organisations:
        text = f"- id: {o['id']}\n  name: {q(o['name'])}\n  description: {block(o['description'])}"
        text += f"  services: [{', '.join(o['services'])}]\n"
        text += "  national: true\n" if o["national"] else f"  boroughs: [{', '.join(o['boroughs'])}]\n"
        text += "  third_party_reporting: true\n" if o["reporting"] else ""
        text += f"  phone: {q(o['phone'])}\n" if o["phone"] else ""
        text += f"  email: {o['email']}\n" if o["email"] else ""
        text += f"  website: {o['website']}\n"
        if o["address"]:
            street, town, postcode = o["address"]
            text += f"  address: {{street: {q(street)}, town: {q(town)}, postcode: {q(postcode)}}}\n"
        text += f"  last_verified: {o['verified'].isoformat()}\n"
        out.append(text)
    return "\n".join(out)


NATIONAL_ROUTES = """\
- id: emergency-999
  name: Emergency number 999
  urgency: emergency
  when_to_use: Call 999 if you or someone else is in danger right now, or a crime is happening.
  how: |
    Call **999** and ask for the police. **112** works too, from any phone.
  phone: "999"
  textphone: "18000"
  anonymity: identified
  hours: 24 hours a day, every day
  last_verified: 2026-11-01

- id: police-101
  name: Police non-emergency number 101
  urgency: non-emergency
  when_to_use: Call 101 to report a hate crime that is not happening now.
  how: |
    Call **101** and ask to speak to an LGBT+ liaison officer.
  phone: "101"
  textphone: 18001 101
  anonymity: identified
  hours: 24 hours a day, every day
  last_verified: 2026-11-01

- id: true-vision
  name: True Vision online reporting
  urgency: non-emergency
  when_to_use: Report a hate crime or incident online, to the right police force.
  how: |
    Fill in the form on the True Vision website. It goes to the force for the place it happened.
  url: https://www.report-it.org.uk
  anonymity: identified
  hours: Any time
  last_verified: 2026-11-01

- id: crimestoppers
  name: Crimestoppers
  urgency: support
  when_to_use: Tell Crimestoppers what you know without giving your name.
  how: |
    Call or use the online form. Crimestoppers never asks who you are.
  phone: "0800 555 111"
  url: https://crimestoppers-uk.org
  anonymity: anonymous
  hours: 24 hours a day, every day
  last_verified: 2026-11-01
"""


def reporting_yaml(forces):
    out = [NATIONAL_ROUTES]
    for force in forces:
        out.append(f"- id: online-{force['id']}\n  name: {q(force['name'] + ' online reporting')}\n"
                   f"  urgency: non-emergency\n  when_to_use: Report a hate crime online to the {force['name']}.\n"
                   f"  how: |\n    Use the online form on the {force['name']} website.\n"
                   f"  url: https://{force['id']}.police.example.org/report/hate-crime/\n"
                   f"  anonymity: identified\n  hours: Any time\n  forces: [{force['id']}]\n"
                   f"  last_verified: 2026-11-01\n")
    return "\n".join(out)


def generate(dest, officers, boroughs=400, forces=43, organisations=None, seed=1):
    """Write the data files and content pages into dest (created if missing)."""
    rng = random.Random(seed)
    names = Names(rng)
    organisations = officers // 4 if organisations is None else organisations
    force_list = make_forces(forces, names)
    borough_list = make_boroughs(boroughs, force_list, names, rng)
    officer_list = make_officers(officers, borough_list, rng)
    covered = {b for o in officer_list for b in o["boroughs"]}
    for borough in borough_list:
        borough["no_officer"] = borough["id"] not in covered  # said, as the data must, not left unexplained
    organisation_list = make_organisations(organisations, borough_list, rng)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    files = {"site.yaml": site_yaml(force_list), "boroughs.yaml": boroughs_yaml(borough_list),
             "officers.yaml": officers_yaml(officer_list), "organisations.yaml": organisations_yaml(organisation_list),
             "reporting.yaml": reporting_yaml(force_list)}
    for name, text in files.items():
        (dest / name).write_text(text, encoding="utf-8")
    if (dest / "content").exists():
        shutil.rmtree(dest / "content")
    shutil.copytree(REPO / "content", dest / "content")
    return dest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", help="folder to write the data into")
    parser.add_argument("--officers", type=int, default=1000)
    parser.add_argument("--boroughs", type=int, default=400)
    parser.add_argument("--forces", type=int, default=43)
    parser.add_argument("--organisations", type=int, default=None, help="default: a quarter of --officers")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.boroughs < 2 or args.forces < 1 or args.forces > args.boroughs or args.officers < 0:
        parser.error("need at least 2 boroughs, at least 1 force and no more forces than boroughs")
    dest = generate(args.dest, args.officers, args.boroughs, args.forces, args.organisations, args.seed)
    print(f"Wrote {args.officers} officers, {args.boroughs} boroughs, {args.forces} forces into {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
