"""The words and colours a reader sees for levels, strengths, outcomes and codes, in every report format."""
from __future__ import annotations

import re

from ..analysis.claims.profiles import LEVELS, OUTCOMES
from ..analysis.claims.strength import STRENGTHS
from ..core.claims import Level
from ..core.codebook import Codebook

LEVEL_LABELS = {
    Level.GRASSROOTS.value: "Grass-roots",
    Level.ORGANISATIONAL.value: "Organisation / network",
    Level.STRATEGIC.value: "Strategic commissioning",
    Level.NATIONAL.value: "National policy",
    Level.UNCLEAR.value: "Level unclear",
}
LEVEL_HELP = {
    Level.GRASSROOTS.value: "one service, ward, clinic or leaflet",
    Level.ORGANISATIONAL.value: "trust-, network- or alliance-wide",
    Level.STRATEGIC.value: "what is funded, commissioned or planned",
    Level.NATIONAL.value: "national policy, guidance or standards",
    Level.UNCLEAR.value: "the passage does not say where",
}
LEVEL_COLOURS = {
    Level.GRASSROOTS.value: "#009E73", Level.ORGANISATIONAL.value: "#56B4E9",
    Level.STRATEGIC.value: "#0072B2", Level.NATIONAL.value: "#7B3F99", Level.UNCLEAR.value: "#9a9a9a",
}
STRENGTH_LABELS = {"claimed": "Claimed", "corroborated": "Corroborated", "documented": "Documented"}
STRENGTH_HELP = {
    "claimed": "one party says so",
    "corroborated": "confirmed by a decision-maker or an independent source",
    "documented": "in a formal record such as minutes or a plan",
}
STRENGTH_COLOURS = {"claimed": "#E69F00", "corroborated": "#56B4E9", "documented": "#0072B2"}
QUOTE_CHARS = 320
OUTCOME_LABELS = {"changed": "Changed", "under_way": "Under way", "not_yet": "Asked for, not yet decided",
                  "declined": "Turned down"}
OUTCOME_HELP = {"changed": "implemented or sustained", "under_way": "in progress",
                "not_yet": "proposed or planned", "declined": "not adopted"}
OUTCOME_COLOURS = {"changed": "#009E73", "under_way": "#8fd3b9", "not_yet": "#E69F00", "declined": "#c0392b"}


def role_label(role: str | None) -> str:
    return (role or "").replace("_", " ")


def who(pseudonym: str | None, role: str | None, source: str) -> str:
    """How a quote is attributed: pseudonym and role for people, the source name for documents."""
    if pseudonym or role:
        return ", ".join(x for x in (pseudonym, role_label(role)) if x)
    return source


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + "…"


_INNER_QUOTE = re.compile(r'"([^"]*)"|“([^“”]*)”')


def quotation(text: str, limit: int = QUOTE_CHARS) -> str:
    """A passage shortened to quote inside the report's double quotation marks: its own double quotes
    become single ones (‘What to Expect’), so a quote that opens with a title does not open “"…"."""
    return _INNER_QUOTE.sub(lambda m: f"‘{m.group(1) if m.group(1) is not None else m.group(2)}’",
                            shorten(text, limit))


FRIENDLY_LABELS = {
    "consultation_reference_group": "Consultation / reference group",
    "representation_on_boards": "Representation on boards",
    "producing_information": "Producing information",
    "audit_survey_visit": "Surveys, audits and visits",
    "peer_review_walkaround": "Peer review / walkarounds",
    "proactive_campaigning": "Campaigning",
    "training_professionals": "Training professionals",
    "feedback_complaints": "Feedback and complaints",
    "research_involvement": "Research involvement",
    "co_design": "Co-design",
    "unclear_activity": "Activity unclear",
    "other_domain": "Other",
    "enabler_relationships": "Open relationships",
    "enabler_experiential_knowledge_valued": "Experiential knowledge valued",
    "enabler_dedicated_resources": "Dedicated resources",
    "enabler_leadership_support": "Leadership support",
    "enabler_training_capacity": "Training for members",
    "enabler_feedback_loop": "Feedback loop",
    "barrier_tokenism": "Tokenism",
    "barrier_representativeness": "Representativeness",
    "barrier_organisational_change": "Reorganisation",
    "barrier_professional_dominance": "Professional dominance",
    "barrier_resources_time": "Lack of resources or time",
    "barrier_no_feedback_or_measurement": "No feedback or measurement",
}


def code_label(codebook: Codebook, code: str) -> str:
    """Plain-language labels for the default codebook's codes; a user's own codes keep their label."""
    if code in LEVEL_LABELS:
        return LEVEL_LABELS[code]
    if code in FRIENDLY_LABELS and (code not in codebook or codebook.get(code).label.lower().replace(" ", "_")
                                    in (code, code.replace("-", "_"))):
        return FRIENDLY_LABELS[code]
    label = codebook.get(code).label if code in codebook else code.replace("_", " ")
    for prefix in ("Enabler ", "Barrier "):
        if label.startswith(prefix):
            label = label[len(prefix):].capitalize()
    return label



def template_labels() -> dict[str, object]:
    """What the templates of the report and the board summary share (labels, colours, the orders)."""
    return {"levels": LEVELS, "strengths": STRENGTHS, "level_labels": LEVEL_LABELS, "level_help": LEVEL_HELP,
            "level_colours": LEVEL_COLOURS, "strength_labels": STRENGTH_LABELS, "strength_help": STRENGTH_HELP,
            "strength_colours": STRENGTH_COLOURS, "outcome_keys": list(OUTCOMES), "outcome_labels": OUTCOME_LABELS,
            "outcome_help": OUTCOME_HELP, "outcome_colours": OUTCOME_COLOURS}
