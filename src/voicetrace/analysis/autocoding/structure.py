"""The questions the codebook asks before it names a code, as features a classifier can weigh.

A person codes level by asking *where the change took effect* (a ward or leaflet, an organisation's policy,
a commissioner's or funder's decision, national policy), domain by *what changed*, and only then applies
the decision rules; they also ask whether the text reports a change at all, whether it is done, asked for,
planned or refused, and whether involvement is credited with it. An embedding answers none of these
directly — real statements that say "the ICB agreed" or "NHS England guidance" in passing get coded by
their topic instead. These cue families answer them from the words, in English and without a model:

* scope — the body or place that changed, from national bodies down to a ward (codebook A);
* object — the thing that changed (codebook B: a leaflet, a pathway, a contract, a strategy ...);
* status — done / planned / asked for / refused / under way (codebook G, rules 4 and 9);
* credit — whether involvement is credited with the change (the unit of coding);
* vagueness — boasts that assert a change without saying where or what (rule 5 → unclear / other);
* non-claim — remit, thanks, membership, meeting logistics, method (rule 9).

Each family contributes a capped count, whether it is the first family of its kind to appear (rule 2:
the first concrete change is primary) and, for scope, which scope word is nearest a change verb (rule 1:
code where the change landed, not who asked). The classifier learns how far to trust each one; the
cues are generic English of health and care reporting, not the wording of any particular source.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from voicetrace.analysis.autocoding.lexicon import fold


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


SCOPE: dict[str, re.Pattern[str]] = {
    "national": _rx(
        r"nhs england", r"nhs improvement", r"department of health(?: and social care)?", r"dhsc", r"the department",
        r"(?:uk |welsh |scottish |the )?government", r"ministers?", r"secretary of state", r"health secretary",
        r"parliament(?:ary)?", r"legislation", r"statutory guidance", r"national(?:ly)?", r"nice", r"nice guidance",
        r"care quality commission", r"health education england", r"nhs wales", r"nhs scotland",
        r"public health england", r"ukhsa", r"royal colleges?", r"across (?:england|wales|scotland|the uk|the country)",
        r"uk-wide", r"england-wide", r"nationwide", r"white paper", r"long term plan", r"the act", r"bill",
        r"nihr", r"national institute for health", r"regulator", r"professional standards?", r"nmc", r"gmc",
        r"all (?:trusts|hospitals|icbs|ccgs|practices) in (?:england|wales|scotland)", r"every (?:trust|icb|hospital) in",
        r"(?:welsh|scottish) (?:assembly|executive)", r"assembly government", r"national (?:cancer|service) "
        r"(?:plan|framework|programme|director)", r"cancer (?:reform )?(?:strategy|plan) for (?:england|wales|scotland)",
        r"(?:peer review )?measures", r"quality standards?", r"nhs constitution", r"public consultation",
    ),
    "strategic": _rx(
        r"commission(?:ed|ers?|ing)", r"re-?commission(?:ed|ing)?", r"decommission(?:ed|ing)?", r"icbs?",
        r"integrated care (?:board|system|partnership)s?", r"ccgs?", r"clinical commissioning group", r"health boards?",
        r"local authorit(?:y|ies)", r"(?:county|city|borough|district) council", r"council'?s?", r"cabinet",
        r"health and wellbeing board", r"jsna", r"business case", r"procure(?:d|ment)", r"tender(?:ed)?",
        r"contracts?", r"fund(?:ed|ing|ers?)?", r"invest(?:ed|ment)", r"budget", r"population", r"borough",
        r"county(?:-wide)?", r"region(?:al|ally)?", r"system-wide", r"place-based", r"primary care networks?", r"pcns?",
        r"strateg(?:y|ies|ic)", r"priorit(?:y|ies|ised|ized)", r"reconfiguration", r"service review",
        r"funding call", r"research priorities", r"health and care partnership",
        # the commissioners and planners of earlier and devolved systems (the codebook's "CCG/ICB decisions")
        r"pcts?", r"primary care trusts?", r"strategic health authorit(?:y|ies)", r"shas?", r"local health boards?",
        r"lhbs?", r"nhs [a-z]+ board", r"integration joint boards?", r"ijbs?", r"health and social care partnership",
        r"joint commissioning", r"local delivery plan", r"public health", r"clinical senate", r"paid for",
    ),
    "organisational": _rx(
        r"trust-wide", r"organisation-wide", r"hospital-wide", r"across (?:the|our) (?:trust|organisation|network|"
        r"alliance|hospitals?|services?|sites|practices|region's hospitals)", r"all (?:wards|sites|staff|services|"
        r"clinics|departments|our (?:wards|sites|services|clinics|staff|hospitals)|inpatient|community|teams|new staff)",
        r"every (?:ward|site|service|clinic|department|team)", r"the trust'?s?", r"trusts", r"cancer alliance",
        r"(?:cancer |clinical |stroke |cardiac |mental health |care )?networks?", r"board (?:agreed|approved|decided|endorsed)",
        r"the board", r"polic(?:y|ies)", r"induction", r"governance", r"committee", r"organisation'?s?",
        r"health board'?s? (?:policy|pathway)", r"charity'?s? own", r"(?:our|the) hospitals",
        # network and organisation-wide groups: tumour-site groups, MDTs, the network office
        r"nssgs?", r"site[- ]specific groups?", r"tumour (?:site )?groups?", r"mdts?", r"multi-?disciplinary teams?",
        r"network (?:office|board|manager|lead|director)", r"clinical governance", r"all (?:patients|nssgs|chairs)",
        r"foundation trust", r"hospital trust", r"seats?", r"patient experience (?:group|committee)",
    ),
    "grassroots": _rx(
        r"wards?", r"on the ward", r"clinics?", r"the unit", r"day unit", r"departments?", r"surgery", r"practice",
        r"waiting (?:room|area)s?", r"reception", r"leaflets?", r"posters?", r"sign(?:s|age|posts)?", r"chairs?",
        r"outpatients?", r"a&e", r"emergency department", r"the team", r"bays?", r"rooms?", r"(?:the|this|our) trial",
        r"(?:the|this|our) study", r"(?:the|this) project", r"pharmacy", r"care home", r"the home", r"hospice",
        r"suite", r"lounge", r"garden", r"corridor", r"car park", r"entrance", r"desk", r"toilets?", r"menu",
    ),
}
OBJECT: dict[str, re.Pattern[str]] = {
    "information": _rx(r"leaflets?", r"booklets?", r"websites?", r"information", r"easy read", r"letters?",
                       r"plain english", r"jargon", r"signpost(?:ing)?", r"directory", r"factsheets?", r"videos?",
                       r"app", r"posters?", r"translated", r"interpreters?"),
    "access": _rx(r"parking", r"transport", r"bus(?:es)?", r"shuttle", r"appointments?", r"phones?", r"telephone",
                  r"lines?", r"opening (?:hours|times)", r"evening", r"weekend", r"booking", r"access(?:ible)?",
                  r"wheelchair", r"waiting lists?", r"call-back", r"drop-in", r"eligib(?:le|ility)", r"travel"),
    "environment": _rx(r"rooms?", r"chairs?", r"seating", r"decor", r"refurbish(?:ed|ment)?", r"redecorated",
                       r"lighting", r"lights", r"garden", r"curtains", r"water cooler", r"clocks?", r"furniture",
                       r"quiet", r"privacy", r"noise", r"temperature", r"mural", r"sensory", r"refreshments", r"drinks"),
    "pathway": _rx(r"pathways?", r"discharge", r"referrals?", r"follow-up", r"triage", r"key worker", r"care plans?",
                   r"service model", r"clinic", r"waiting times?", r"assessment", r"one-stop", r"single point",
                   r"hand-?over", r"transition", r"rehabilitation", r"nurse-led", r"model of care"),
    "workforce": _rx(r"training", r"trained", r"staff", r"posts?", r"roles?", r"recruit(?:ed|ment)?", r"induction",
                     r"workshops? for staff", r"e-learning", r"curriculum", r"nurse specialists?", r"navigator",
                     r"communication skills", r"attitudes?", r"workforce"),
    "commissioning": _rx(r"fund(?:ed|ing)?", r"commission(?:ed|ing)", r"contracts?", r"invest(?:ed|ment)",
                         r"decommission(?:ed)?", r"clos(?:e|ed|ure)", r"kept open", r"stay open", r"£\s?\d[\d,.]*\s?[mk]?",
                         r"grant", r"budget", r"tender"),
    "policy": _rx(r"polic(?:y|ies)", r"strateg(?:y|ies)", r"guidance", r"standards?", r"plans?", r"framework",
                  r"charter", r"protocol", r"guidelines?", r"legislation", r"regulations?", r"the act", r"code of practice"),
    "research": _rx(r"trials?", r"stud(?:y|ies)", r"research", r"protocol", r"participants?", r"recruitment",
                    r"questionnaires?", r"participant information", r"consent form", r"outcome measures?",
                    r"funding call", r"research priorities", r"researchers?", r"dissemination"),
    "governance": _rx(r"panels?", r"seats?", r"lay members?", r"terms of reference", r"governors?", r"patient partners?",
                      r"experts? by experience", r"reference group", r"advisory group", r"forum", r"involvement",
                      r"payment", r"paid", r"expenses", r"patient safety partners?", r"(?:group|council|panel) (?:was )?"
                      r"(?:set up|established|created)"),
}
STATUS: dict[str, re.Pattern[str]] = {
    "done": _rx(r"now", r"has been", r"have been", r"has now", r"was", r"were", r"introduced", r"installed", r"launched",
                r"agreed", r"approved", r"created", r"replaced", r"added", r"funded", r"appointed", r"opened",
                r"changed", r"revised", r"rewritten", r"updated", r"extended", r"confirmed", r"adopted", r"fitted",
                r"removed", r"scrapped", r"reinstated", r"produced", r"set up", r"established", r"amended",
                r"redesigned", r"moved", r"reduced", r"put in place", r"ordered", r"included", r"accepted"),
    "planned": _rx(r"will", r"plans? to", r"planned", r"intends?", r"going to", r"next year", r"from (?:april|next)",
                   r"aims? to", r"hopes? to", r"would like to", r"due to", r"is expected to", r"later this year"),
    "asked": _rx(r"recommend(?:ed|s|ations?)?", r"called for", r"calling for", r"urged?", r"asked", r"asking",
                 r"raised", r"escalated", r"lobbied", r"petition(?:ed)?", r"wrote to", r"written to", r"suggested",
                 r"proposed", r"pressed", r"campaign(?:ed|ing)? for", r"highlighted"),
    "refused": _rx(r"declined", r"rejected", r"refused", r"not (?:been )?(?:taken forward|possible|agreed|funded|"
                   r"adopted|accepted|implemented)", r"did not", r"despite", r"voted to close", r"no response",
                   r"turned down", r"still (?:waiting|no)", r"has not", r"have not", r"unable to"),
    "underway": _rx(r"working on", r"developing", r"currently", r"under review", r"in progress", r"being (?:developed|"
                    r"reviewed|updated|piloted)", r"are updating", r"is updating", r"piloting", r"ongoing", r"work is"),
    "sustained": _rx(r"still in place", r"remains?", r"embedded", r"continues? to (?:run|operate|be used)",
                     r"years on", r"since then", r"every year since", r"now standard"),
}
CREDIT = _rx(r"as a result", r"following", r"after", r"in response", r"thanks to", r"because of", r"you said",
             r"we did", r"you asked", r"told us", r"feedback", r"influenc(?:e|ed|ing)", r"shaped",
             r"co-?produc(?:ed|tion)", r"co-?design(?:ed)?", r"lived experience", r"service users?",
             r"patients? (?:panel|council|partners?|representatives?|forum|group)", r"ppi", r"ppg",
             r"public contributors?", r"lay", r"carers?", r"healthwatch", r"campaign(?:ers|ed)?", r"survey",
             r"our (?:report|recommendations|work|evidence|members)", r"experts? by experience", r"listened")
VAGUE = _rx(r"made a (?:real |big |huge )?difference", r"improve(?:d|ments?)(?: to)? (?:services|care)",
            r"helped (?:to )?shape", r"(?:had|have) an impact", r"positive (?:impact|changes?)",
            r"continued? to (?:work|listen)", r"a number of (?:changes|improvements)", r"various", r"many changes",
            r"shaping (?:the way|services|how)", r"make improvements", r"instrumental", r"voices? (?:are|is|were) heard",
            r"the way services", r"real change", r"changes to services", r"improvements (?:as a result|across)")
NON_CLAIM = _rx(r"meets?", r"meeting (?:will|on|is)", r"next meeting", r"welcome", r"join(?:ed)? (?:us|the)",
                r"interested", r"volunteers?", r"recruiting", r"looking for", r"thank you", r"thanks to (?:all|every)",
                r"held (?:on|in|at)", r"responses were received", r"were conducted", r"limitation", r"is a (?:national |"
                r"local |registered )?charity", r"our (?:aim|purpose|vision|mission|role)", r"we hope", r"we aim",
                r"members", r"membership", r"apologies", r"terms of office", r"elected", r"please", r"contact",
                r"dates?", r"ran for", r"took place", r"attended", r"presented", r"noted", r"discussed")

FAMILIES: tuple[tuple[str, dict[str, re.Pattern[str]]], ...] = (("scope", SCOPE), ("object", OBJECT),
                                                                  ("status", STATUS))
CAP = 3


def feature_names() -> list[str]:
    names: list[str] = []
    for fam, groups in FAMILIES:
        names += [f"{fam}:{g}:count" for g in groups] + [f"{fam}:{g}:first" for g in groups]
    names += [f"scope:{g}:near_change" for g in SCOPE]
    names += ["credit", "vague", "non_claim", "length"]
    return names


def _starts(rx: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in rx.finditer(text)]


def _features(text: str) -> list[float]:
    t = fold(text)
    row: list[float] = []
    done = _starts(STATUS["done"], t) + _starts(STATUS["sustained"], t)
    for fam, groups in FAMILIES:
        hits = {g: _starts(rx, t) for g, rx in groups.items()}
        row += [min(len(h), CAP) / CAP for h in hits.values()]
        firsts = {g: h[0] for g, h in hits.items() if h}
        first = min(firsts, key=lambda g: firsts[g]) if firsts else None
        row += [1.0 if g == first else 0.0 for g in groups]
        if fam == "scope":
            # the scope word nearest to a change verb: where the change landed, not who asked (rule 1)
            near: dict[str, float] = {}
            for g, h in hits.items():
                near[g] = min((abs(a - b) for a in h for b in done), default=10_000)
            best = min(near, key=lambda g: near[g]) if near and min(near.values()) < 10_000 else None
            scope_near = [1.0 if g == best else 0.0 for g in groups]
    row += scope_near
    row += [min(len(_starts(CREDIT, t)), CAP) / CAP, min(len(_starts(VAGUE, t)), 2) / 2,
            min(len(_starts(NON_CLAIM, t)), CAP) / CAP, min(len(t), 600) / 600]
    return row


def structure_features(texts: Sequence[str]) -> np.ndarray:
    """One row of codebook-question features per text (see module docstring); values in [0, 1]."""
    return np.array([_features(t) for t in texts], dtype=np.float32).reshape(len(texts), len(feature_names()))
