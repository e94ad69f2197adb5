"""Synthetic benchmark corpora of any size, from 10^3 to 10^6 segments.

Performance work needs corpora far larger than the sample study, with text varied enough that
embedding, search and deduplication behave as on real data (repeated copies would flatter every
cache and index). Text is built combinatorially from grammar-like templates over vocabularies of
activities, changes, places, services and roles, and written file by file so memory stays flat.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

# --------------------------------------------------------------------------- vocabularies

_SYL_A = ["Ash", "Brad", "Carn", "Dun", "Ell", "Fen", "Glen", "Hal", "Ing", "Kir", "Lang", "Mar", "Nor",
          "Oak", "Pen", "Ray", "Salt", "Thorn", "Ul", "Wes", "Whit", "Yar", "Bram", "Cold", "Drum", "Elm"]
_SYL_B = ["ford", "ley", "by", "mouth", "ton", "field", "bridge", "moor", "wick", "dale", "holme", "stead",
          "burn", "vale", "combe", "haven", "mere", "thorpe", "well", "side"]
_NATIONS = [("England", ["North West", "North East", "Yorkshire and the Humber", "East Midlands",
                         "West Midlands", "East of England", "London", "South East", "South West"]),
            ("Wales", ["North Wales", "South East Wales", "South West Wales"]),
            ("Scotland", ["North of Scotland", "West of Scotland", "East of Scotland"]),
            ("Northern Ireland", ["Belfast", "Western"])]
_FIRST = ["Margaret", "Derek", "Pauline", "Susan", "Brian", "Joan", "Ken", "Linda", "Raj", "Amina", "Tom",
          "Gwen", "Alan", "Irene", "Mohammed", "Carol", "Stuart", "Ruth", "Neil", "Hazel", "Priya", "Owen",
          "Bernadette", "Colin", "Fatima", "Graham", "Sheila", "Winston", "Moira", "Dennis", "Yusuf", "Eileen"]
_SURNAMES = ["Ashworth", "Begum", "Campbell", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal",
             "Jenkins", "Kaur", "Lomas", "MacLeod", "Nolan", "Okafor", "Patel", "Quinn", "Rowlands", "Shaw",
             "Turner", "Underwood", "Vaughan", "Walsh", "Yates"]
_ROLES = ["service_user", "service_user", "carer", "professional", "facilitator", "commissioner",
          "manager", "clinician"]
_TITLES = {"clinician": "Dr", "commissioner": "Ms", "manager": "Mr"}

_ACTIVITIES = [
    "carried out a survey of {n} patients", "walked the route from the main entrance", "reviewed the draft leaflet",
    "wrote to the chief executive", "presented our findings to the {body}", "held two design workshops with staff",
    "took part in a peer review visit", "gathered patients' stories", "ran a mystery-shopper exercise on the phone line",
    "co-delivered a training session for {staff}", "sat on the {group} for a year", "collected {n} comment cards",
    "raised the issue at the {body}", "lobbied the {body}", "responded to the consultation on the {plan}",
    "organised a petition signed by {n} people", "audited the waiting area over {k} weeks",
]
_CHANGES = [
    "the {service} now has {thing}", "{thing} was installed in the {place}", "the {leaflet} leaflet was rewritten",
    "appointment letters now include {info}", "the {body} agreed to fund {funded}", "a {post} post was created",
    "the {service} opening hours were extended to {time}", "a user representative joined the {group}",
    "the {plan} now includes {priority}", "parking charges were reduced for patients at {hospital}",
    "the {service} moved to a single contact number", "{staff} now attend a session on {topic}",
]
_OUTCOMES = [
    "The proposal was declined because of {reason}.", "We are still waiting for a reply.",
    "The change has been in place since {month}.", "Staff say it has made a real difference.",
    "The decision was deferred to the next financial year.", "It was agreed in principle but nothing has happened.",
    "The board minute records the group's part in this.", "Nobody has told us whether it worked.",
    "The trust confirmed this in writing.", "Members felt the decision had already been made.",
]
_NONCLAIMS = [
    "The minutes of the meeting held on {d} were agreed as a true record.",
    "{name} welcomed everyone at {clock} and introductions were made.",
    "The next meeting will be held on {d} at {venue}.",
    "Apologies were received from {name} and {name2}.",
    "Members discussed the arrangements for the annual away day at {venue}.",
    "Travel expenses will continue to be paid at {p}p per mile from {d}.",
    "{name} thanked members for their time and commitment since {d}.",
    "The group now has {k} members, and {j} people came to the open day at {venue}.",
    "It was agreed to review the terms of reference at the meeting on {d}.",
    "There was no other business and the meeting closed at {clock}.",
]
_TALK = [
    "I was diagnosed in {year}, and to be honest I didn't know what a {group} was.",
    "We meet every {k} weeks, usually at {venue}, and the tea is terrible.",
    "My husband did all the driving, you know, {n} miles a week at one point.",
    "I think the thing is, people don't realise how tiring it is just getting to {hospital}.",
    "Erm, I'm not sure about the {thing}, you'd have to ask {name} about that.",
    "When I first joined there were only {k} of us round the table.",
    "It's the little things, the {thing}, that people notice.",
    "I suppose I'd say the {body} listens more than it did in {year}, but it's patchy.",
]
_FILL = {
    "body": ["PCT board", "network board", "trust board", "health board", "patient experience committee",
             "commissioning group", "Local Health Board", "clinical governance committee"],
    "staff": ["junior doctors", "newly qualified nurses", "reception staff", "porters", "GP registrars",
              "radiographers", "ward clerks"],
    "group": ["breast NSSG", "lung NSSG", "urology NSSG", "colorectal NSSG", "palliative care group",
              "network board", "patient panel", "chemotherapy group", "haematology NSSG"],
    "plan": ["cancer commissioning plan", "network strategy", "cancer services plan", "local delivery plan",
             "survivorship strategy", "information strategy"],
    "service": ["chemotherapy day unit", "radiotherapy department", "breast clinic", "oncology outpatients",
                "appointments line", "haematology clinic", "day hospice", "lymphoedema clinic",
                "information centre", "helpline"],
    "thing": ["reclining chairs", "a water cooler", "a wall clock", "a quiet room", "new signs", "a drinks trolley",
              "a hearing loop", "a play corner", "new blinds", "a private bay", "a wheelchair ramp",
              "a drop-off bay", "a notice board", "a leaflet rack"],
    "place": ["waiting area", "day room", "main corridor", "outpatient department", "relatives' room",
              "treatment bay", "reception"],
    "leaflet": ["Coming for Chemotherapy", "Your Radiotherapy", "What to Expect", "Help with Travel Costs",
                "Living with Lymphoedema", "Your First Appointment", "Caring for Someone with Cancer",
                "After Treatment", "Who to Call"],
    "info": ["a map", "bus times", "a named contact", "parking information", "an interpreter question",
             "the helpline number"],
    "funded": ["a volunteer driver scheme", "a lymphoedema service", "two nurse specialist posts",
               "a support worker", "an information centre", "a psychology session each week"],
    "post": ["key worker", "information officer", "support worker", "nurse specialist", "facilitator"],
    "time": ["6pm", "7pm", "8pm", "weekends"],
    "priority": ["support for carers", "a named key worker", "an end-of-treatment review",
                 "help with travel costs", "survivorship"],
    "topic": ["breaking bad news", "communication", "cultural awareness", "carers' needs"],
    "reason": ["cost", "the car park contract", "the reorganisation", "lack of evidence of need",
               "other priorities", "the timetable"],
    "venue": ["the education centre", "the community hall", "the hospice", "the library", "the network office"],
}


_QUESTIONS = [
    "Can you tell me about the {service} at {hospital}?", "What happened with the {leaflet} leaflet?",
    "How did you get involved with the {group}?", "Who decided about the {thing}?",
    "What difference did the {thing} make, do you think?", "And how did the {body} respond?",
    "Was that written down anywhere, in the {body} minutes or a letter?", "How long have you been on the {group}?",
    "What gets in the way with the {body}, would you say?", "Did anyone tell you what happened after {d}?",
    "Mm. Go on, you were saying about {name}.", "So who was at that meeting on {d} from the {body}?", "And was that {name}'s idea?",
]


_LEADS = ["", "", "Right. ", "Okay, thank you. ", "Mm-hm. ", "That's really helpful. ", "Sorry, just to go back. ",
          "Can I pick up on something? ", "Yes. ", "I see. ", "Interesting. "]
_TAILS = ["", "", "", " Was that around {month}?", " Was {name} involved in that?", " I'm thinking of the {thing}.",
          " Take your time.", " Or was that before {year}?", " You mentioned the {group} earlier."]


def _unique_person(rng: random.Random, names: _Namer, role: str, used: set[str]) -> str:
    """A pseudonym not yet used in this corpus; double-barrelled names and initials keep it readable."""
    for attempt in range(50):
        surname = rng.choice(_SURNAMES)
        if attempt >= 5:
            surname = f"{surname}-{rng.choice(_SURNAMES)}"
        if attempt >= 20:
            surname = f"{chr(65 + rng.randrange(26))}. {surname}"
        person = f"{_TITLES[role]} {surname}" if role in _TITLES else f"{names.person()} {surname}"
        if person not in used:
            used.add(person)
            return person
    person = f"{names.person()} {names.town()}"
    while person in used:
        person = f"{names.person()} {names.town()}-{names.town()}"
    used.add(person)
    return person


class _Namer:
    """Invented place and hospital names, many enough that large corpora rarely repeat them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def town(self) -> str:
        return self.rng.choice(_SYL_A) + self.rng.choice(_SYL_B)

    def hospital(self) -> str:
        kind = self.rng.choice(["General Hospital", "Royal Infirmary", "Community Hospital", "District Hospital"])
        return f"{self.town()} {kind}"

    def person(self) -> str:
        return self.rng.choice(_FIRST)


def _fill(template: str, rng: random.Random, names: _Namer, ctx: dict[str, str]) -> str:
    out = template
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        key = out[start + 1:end]
        if key in ctx:
            value = ctx[key]
        elif key == "n":
            value = str(rng.randint(12, 900))
        elif key in ("k", "j"):
            value = str(rng.randint(2, 30))
        elif key == "clock":
            value = f"{rng.randint(11, 17)}.{rng.choice(['00', '10', '15', '25', '30', '40', '45', '50'])}"
        elif key == "p":
            value = str(rng.choice([25, 30, 35, 40, 45]))
        elif key in ("name", "name2"):
            value = names.person()
        elif key == "hospital":
            value = names.hospital()
        elif key == "year":
            value = str(rng.randint(1995, 2009))
        elif key in ("d", "month"):
            day = date(2006, 1, 1) + timedelta(days=rng.randint(0, 1400))
            value = f"{day.day} {day:%B %Y}"
        else:
            value = rng.choice(_FILL[key])
        out = out[:start] + value + out[end + 1:]
    return out


def _claim(rng: random.Random, names: _Namer, ctx: dict[str, str]) -> str:
    opener = rng.choice(["After the group", "Members", "We", "The Partnership Group", "Our sub-group",
                         "Following a suggestion from members, the group"])
    activity = _fill(rng.choice(_ACTIVITIES), rng, names, ctx)
    link = rng.choice([". As a result,", ", and since then", ". Following our report,", ". In response,",
                       "; the outcome was that"])
    change = _fill(rng.choice(_CHANGES), rng, names, ctx)
    sentence = f"{opener} {activity}{link} {change}."
    if rng.random() < 0.6:
        sentence += " " + _fill(rng.choice(_OUTCOMES), rng, names, ctx)
    return sentence[0].upper() + sentence[1:]


def _segment(rng: random.Random, names: _Namer, ctx: dict[str, str], spoken: bool) -> str:
    roll = rng.random()
    if roll < 0.45:
        text = _claim(rng, names, ctx)
    elif spoken:
        text = _fill(rng.choice(_TALK), rng, names, ctx)
    else:
        text = _fill(rng.choice(_NONCLAIMS), rng, names, ctx)
    if rng.random() < 0.35:
        extra = _TALK if spoken else _NONCLAIMS
        text += " " + _fill(rng.choice(extra), rng, names, ctx)
    return text


# --------------------------------------------------------------------------- corpus

def _case_rows(rng: random.Random, names: _Namer, count: int) -> Iterator[tuple[str, list[str]]]:
    used: set[str] = set()
    for i in range(count):
        town = names.town()
        while town in used:
            town = names.town() + str(i)
        used.add(town)
        nation, regions = rng.choice(_NATIONS)
        name = f"{town} Cancer Partnership Group"
        yield town.lower(), [name, nation, rng.choice(regions), str(rng.randint(1998, 2008)),
                             str(rng.randint(6, 40)), rng.choice(["yes", "no"]), str(rng.randint(5, 350) * 100),
                             rng.choice(["yes", "no"]), "synthetic benchmark case"]


def generate_corpus(dest: Path, segments: int, seed: int = 0) -> Path:
    """Write a corpus of about ``segments`` segments (documents and transcripts) into ``dest``.

    Each file holds 10-80 segments; ``cases.csv``, ``sources.csv`` and ``participants.csv`` are
    written beside per-case folders of ``.txt`` files, streamed so no file stays in memory.
    """
    if segments < 1:
        raise ValueError("segments must be positive")
    rng = random.Random(seed)
    names = _Namer(rng)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    n_cases = max(2, min(2000, segments // 1500 + 2))
    cases = list(_case_rows(rng, names, n_cases))
    with (dest / "cases.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["case", "nation", "region", "year_formed", "members", "funded_facilitator",
                         "annual_budget_gbp", "case_study", "reason_sampled"])
        writer.writerows(row for _, row in cases)
    kinds = ["minutes", "minutes", "annual_report", "work_plan", "newsletter", "grant_application", "strategy"]
    written = 0
    file_no = 0
    used_people: set[str] = set()
    with (dest / "sources.csv").open("w", newline="", encoding="utf-8") as src_handle, \
            (dest / "participants.csv").open("w", newline="", encoding="utf-8") as part_handle:
        sources = csv.writer(src_handle, lineterminator="\n")
        people = csv.writer(part_handle, lineterminator="\n")
        sources.writerow(["file", "case", "kind", "date", "title"])
        people.writerow(["pseudonym", "role", "case", "consent_date"])
        while written < segments:
            file_no += 1
            slug, case_row = cases[rng.randrange(len(cases))]
            ctx = {"venue": f"{names.town()} {rng.choice(['Community Hall', 'Education Centre', 'Library'])}"}
            when = date(2006, 1, 1) + timedelta(days=rng.randint(0, 1400))
            size = min(rng.randint(10, 80), segments - written)
            folder = dest / slug
            folder.mkdir(exist_ok=True)
            if rng.random() < 0.4:
                role = rng.choice(_ROLES)
                person = _unique_person(rng, names, role, used_people)
                rel = f"{slug}/interview-{file_no:07d}.txt"
                people.writerow([person, role, case_row[0], when.isoformat()])
                sources.writerow([rel, case_row[0], "interview", when.isoformat(), f"Interview {file_no}"])
                with (dest / rel).open("w", encoding="utf-8") as out:
                    for i in range(size):
                        if i % 2 == 0:
                            question = _fill(rng.choice(_QUESTIONS), rng, names, ctx)
                            lead = rng.choice(_LEADS)
                            tail = _fill(rng.choice(_TAILS), rng, names, ctx)
                            line = f"Interviewer: {lead}{question}{tail}"
                        else:
                            line = f"{person}: {_segment(rng, names, ctx, spoken=True)}"
                        out.write(line + "\n\n")
            else:
                kind = rng.choice(kinds)
                rel = f"{slug}/{kind.replace('_', '-')}-{file_no:07d}.txt"
                title = f"{case_row[0]}: {kind.replace('_', ' ')} {when.year}"
                sources.writerow([rel, case_row[0], kind, when.isoformat(), title])
                with (dest / rel).open("w", encoding="utf-8") as out:
                    out.write(title + "\n\n")
                    for _ in range(size - 1):
                        out.write(_segment(rng, names, ctx, spoken=False) + "\n\n")
            written += size
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voicetrace.sample.synth",
                                     description="Generate a synthetic benchmark corpus.")
    parser.add_argument("dest", type=Path)
    parser.add_argument("--segments", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    print(generate_corpus(args.dest, args.segments, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
