"""Which passages of a case describe the same change: blocked, sparse, one case at a time.

A change is recognised by *what* changed — the things named (chairs, parking permits, a helpline, a
volunteer driver scheme) — more than by how a passage is worded, and a minutes record, an annual
report and three interviews about one change share those words while differing in everything else.
So each case is a block: its passages are weighted by TF-IDF fitted on that case only (a word
common in the case, like the group's own name, tells nothing), and a passage joins the claim whose
centroid it is closest to. Centroids sharpen as passages join: the words the sources agree on
dominate, the incidental ones fade.

Memory is linear in the number of passages: the only matrices are one case's sparse TF-IDF rows and
that case's claim centroids; nothing is ever n × n over the project.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_NUMBER_PHRASE = re.compile(
    r"\b(?:(?:" + "|".join(NUMBER_WORDS) + r")(?:[\s-]+(?:hundred|thousand|and|" + "|".join(NUMBER_WORDS)
    + r"))*|hundred|thousand)\b", re.IGNORECASE)
_NUMBER_PHRASE_LOWER = re.compile(_NUMBER_PHRASE.pattern)
"""The same pattern for lower-cased ASCII text, where case cannot matter: several times faster, since without
IGNORECASE the engine skips an alternative by its first letter."""

GENRE_WORDS = frozenset("""
yes yeah well erm um mm oh okay right really actually just think know mean say said says told tell
thing things lot bit way time times got get getting going went came come make made put did does
group groups member members patient patients people partnership meeting meetings year years month
cancer service services network trust now still also would could should might much many one ever
like sort kind quite very good great
""".split())  # noqa: SIM905 — a word list reads better as prose
"""Words every passage of this genre uses whatever the change: they say nothing about which change."""

def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | GENRE_WORDS


STOP_WORDS = _stop_words()
"""English stop words and the genre's own: neither says which change a passage is about."""

TOKEN = re.compile(r"[a-z][a-z&'-]*[a-z]|\d+")

CLITIC = re.compile(r"(?:n't|'d|'ve|'re|'ll|'m|'s|')$")
"""The ending of a contraction or a possessive ("they'd", "wouldn't", "it's", "Trevor's", "readers'")."""


def _word(tok: str, ignore: frozenset[str]) -> str | None:
    """A token as a change word, or None when it names no change.

    A contraction is its function word ("they'd" is "they", "wouldn't" is "would", "it's" is "it") and a
    possessive its noun ("Trevor's" is "Trevor"), so both are read without the ending *before* the stop
    words and names are looked up: otherwise "they'd", "didn't" and "she's" count as the sharpest words of
    a spoken passage (each rare in a case) and tie interview turns about different changes together —
    and a transcript typed with curly apostrophes, which never joined the token, read differently."""
    if tok.isdigit():
        return tok
    base = CLITIC.sub("", tok) if "'" in tok else tok
    if tok.endswith("n't"):
        return None  # a negated auxiliary (didn't, won't, can't): a function word whatever its stem
    if base in STOP_WORDS or base in ignore or len(base) < 3:
        return None
    return _stem(base)


def _number_value(phrase: str) -> str:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word == "and" or not word:
            continue
        if word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            current += NUMBER_WORDS.get(word, 0)
    return str(total + current)


def numbers_as_digits(flat: str) -> str:
    """Lower-cased text with its number words as digits ("twenty five" is " 25 "), as ``_NUMBER_PHRASE``
    finds them (through its faster twin when the text is ASCII)."""
    numbers = _NUMBER_PHRASE_LOWER if flat.isascii() else _NUMBER_PHRASE
    return numbers.sub(lambda m: " " + _number_value(m.group(0)) + " ", flat)


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Enough stemming to make "chairs" meet "chair" and "funded" meet "funding", no more."""
    if word.isdigit() or len(word) <= 3:
        return word
    word = word.removesuffix("'s").removesuffix("'")
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + repl
    return word


def change_terms(text: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """The words of a passage that can name a change: numbers as digits, light stems, genre words out.

    ``ignore`` holds people's names (the case's participants): who said or did something is not what
    changed, and one person talking about two changes must not make them one."""
    flat = numbers_as_digits(text.lower())
    flat = flat.replace("£", " £").replace("%", " percent ")
    out = []
    for tok in TOKEN.findall(flat):
        if "'" not in tok:  # most tokens: no contraction to read, so no call
            if tok in STOP_WORDS or tok in ignore or (len(tok) < 3 and not tok.isdigit()):
                continue
            out.append(_stem(tok))
        elif (word := _word(tok, ignore)) is not None:
            out.append(word)
    return out


@dataclass(frozen=True)
class Profile:
    """What the merge rules compare besides the words: a passage's domain and activity codes.

    Level is left out on purpose: one change is often coded at different levels by different coders or
    sources, and what changed (the words) decides whether it is one (see merging.claim_level)."""

    domain: str
    activity: str


CODE_BONUS = {"domain": 0.08, "activity": 0.06}
"""How much agreeing codes add to the text similarity: coders' codes for one change vary, so they
tip a borderline decision rather than decide it."""

TEXT_FLOOR = 0.6
"""Codes only tip a decision the words already nearly make: below this share of the threshold, the
text similarity alone rules a passage out, whatever its codes."""

MIN_SHARED_TERMS = 2
"""A passage shares at least this many change words with a claim before it can join it."""

TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sister", "prof", "professor", "nurse", "cllr"})


def name_words(names: Sequence[str]) -> frozenset[str]:
    """The words of people's names, as ``change_terms`` would see them (titles included)."""
    words = {w for n in names for w in TOKEN.findall(n.lower())}
    return frozenset(words | TITLES) if words else frozenset()


def _unit_vector(x: Any, unit: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The TF-IDF row of one passage, or the sum of several read as one (a written response's
    recommendations, an answer with its follow-ups), as column indices and float32 weights. One row is
    sliced out of the CSR arrays directly: scipy's getrow costs more than the scoring it feeds."""
    if len(unit) == 1:
        lo, hi = x.indptr[unit[0]], x.indptr[unit[0] + 1]
        return x.indices[lo:hi], x.data[lo:hi].astype(np.float32)
    row = x[list(unit)].sum(axis=0).A1
    idx = np.flatnonzero(row)
    return idx, row[idx].astype(np.float32)


def _similarities(sums: np.ndarray, norms: Sequence[float], idx: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """Cosine similarity of a unit's vector with every claim centroid (one per entry of ``norms``),
    from the centroids' stored sums and norms."""
    sims = (sums[:len(norms), idx] @ vals) / np.maximum(np.asarray(norms, dtype=np.float32), 1e-9)
    return sims / max(float(np.linalg.norm(vals)), 1e-9)


def told_as_one(x: Any, members: Sequence[int], items: Sequence[tuple[int, object] | None], source: int,
               claim_sum: np.ndarray, idx: np.ndarray, vals: np.ndarray, threshold: float) -> bool:
    """Whether a minutes item's words reach a claim through the claim's passages of *other* sources.

    Two items of one set of minutes are two records (``items.py``) because the meeting's bookkeeping
    (agreed, reported, the same people) makes every item of it look alike. When the claim's passages
    from everywhere else — other minutes, reports, interviews — tell this item's change and the claim's
    as one ("a drop-off bay outside the centre, and volunteers to meet and greet patients"), that
    bookkeeping is left out and the words still agree: then the later meeting recorded one change under
    two items, and the item may join. The test is the first pass's own (cosine reaching ``threshold``,
    two shared change words) against the claim's centroid less every passage of ``source``, with no
    bonus from codes."""
    rest = claim_sum.copy()
    own = [j for j in members if items[j] is not None and items[j][0] == source]  # type: ignore[index]
    if own:
        rest -= np.asarray(x[own].sum(axis=0), dtype=np.float32).ravel()
    rest[np.abs(rest) < 1e-6] = 0.0
    part = rest[idx]
    if int(np.count_nonzero(part)) < MIN_SHARED_TERMS:
        return False
    norm = float(np.linalg.norm(rest)) * max(float(np.linalg.norm(vals)), 1e-9)
    return norm > 1e-9 and float(part @ vals) / norm >= threshold


FOLLOW_UP = -1.0
"""The score recorded for a passage that joined a claim as the answer to a follow-up question."""


def group_block(texts: Sequence[str], profiles: Sequence[Profile], order: Sequence[int],
                threshold: float, ignore: frozenset[str] = frozenset(),
                items: Sequence[tuple[int, object] | None] | None = None,
                responses: Sequence[int | None] | None = None,
                follows: Sequence[int | None] | None = None,
                change_text: Callable[[str], str] | None = None,
                ) -> tuple[list[list[int]], list[list[float]]]:
    """Cluster one case's passages: each joins the closest compatible claim centroid, or starts one.

    ``order`` is the order passages are considered in (records first, so a change's fullest
    statement founds its claim). ``items`` gives, per passage, (source, item) for passages of
    minutes (None otherwise): a claim never holds two different items of the same minutes
    (``items.py``). ``responses`` gives, per passage, the written response it is a recommendation of
    (None otherwise): the recommendations of one response are read together, as one passage, at the
    place of the first, and join one claim (or found one) together, whatever each one's words (each is
    about something else: carers, travel, survivorship). ``follows`` gives, per passage, the passage
    whose answer it follows up (an interview answer to "And what happened?", ``turns.py``; None
    otherwise): when its own words reach no claim, it joins the claim of that answer instead of founding
    one. ``change_text`` gives the sentences of a passage that state a change (``_place_lone``); without
    it a passage left on its own stays so. Returns the groups (indices into ``texts``) and, per member after the first, the score it
    joined with (``FOLLOW_UP`` for a follow-up answer placed by that rule).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n == 0:
        return [], []
    vec = TfidfVectorizer(analyzer=lambda t: change_terms(t, ignore), sublinear_tf=True, min_df=1)
    try:
        x = vec.fit_transform(texts).tocsr()
    except ValueError:  # no usable words anywhere
        return [[i] for i in order], [[] for _ in order]
    width = x.shape[1]
    sums = np.zeros((0, width), dtype=np.float32)   # one row per claim: sum of its members' vectors
    norms: list[float] = []
    groups: list[list[int]] = []
    scores: list[list[float]] = []
    domains: list[dict[str, int]] = []
    activities: list[dict[str, int]] = []
    held: list[dict[int, object]] = []  # per claim: the item it holds of each set of minutes
    group_of: dict[int, int] = {}  # passage -> the claim it is in
    score_of: dict[int, float] = {}  # passage -> the score it joined its claim with (founders have none)
    followers: dict[int, list[int]] = {}  # passage -> the follow-up answers placed with it
    steps: list[list[int]] = []  # one passage, or every recommendation of one written response
    unit_of: dict[int, list[int]] = {}
    for i in order:
        response = responses[i] if responses is not None else None
        if response is None:
            steps.append([i])
        elif response in unit_of:
            unit_of[response].append(i)
        else:
            unit_of[response] = [i]
            steps.append(unit_of[response])
    for step in steps:
        i = step[0]
        item = items[i] if items is not None else None
        idx, vals = _unit_vector(x, step)  # a response is read as a whole
        best, best_score = -1, threshold
        if groups and len(idx):
            sims = _similarities(sums, norms, idx, vals)
            prof = profiles[i]
            for g in np.argsort(-sims, kind="stable")[:8]:
                g = int(g)
                score = float(sims[g])
                if score < TEXT_FLOOR * threshold:
                    break  # candidates are in falling order: the rest are less alike still
                if int(np.count_nonzero(sums[g, idx])) < MIN_SHARED_TERMS:
                    continue  # one word in common ("room") is not one change
                if item is not None and held[g].get(item[0], item[1]) != item[1]:
                    continue  # another item of the same minutes: another record
                score += CODE_BONUS["domain"] * domains[g].get(prof.domain, 0) / len(groups[g])
                score += CODE_BONUS["activity"] * activities[g].get(prof.activity, 0) / len(groups[g])
                if score >= best_score:
                    best, best_score = g, score
                    break
        prior = follows[i] if follows is not None and len(step) == 1 else None
        followed = best < 0 and prior is not None and prior in group_of
        if followed:
            assert prior is not None
            best, best_score = group_of[prior], FOLLOW_UP
        if best < 0:
            if len(groups) == sums.shape[0]:  # grow by doubling: amortised linear, never n × n
                grown = np.zeros((max(8, 2 * sums.shape[0]), width), dtype=np.float32)
                grown[: sums.shape[0]] = sums
                sums = grown
            norms.append(0.0)
            groups.append([])
            scores.append([])
            domains.append({})
            activities.append({})
            held.append({})
            best = len(groups) - 1
        else:
            scores[best].extend([best_score] * len(step))
            for j in step:
                score_of[j] = best_score
        if len(step) > 1 and not groups[best]:
            scores[best].extend([1.0] * (len(step) - 1))  # the response's own recommendations
            for j in step[1:]:
                score_of[j] = 1.0
        if followed:
            assert prior is not None
            followers.setdefault(prior, []).append(i)
        for j in step:
            group_of[j] = best
            groups[best].append(j)
            domains[best][profiles[j].domain] = domains[best].get(profiles[j].domain, 0) + 1
            activities[best][profiles[j].activity] = activities[best].get(profiles[j].activity, 0) + 1
        sums[best, idx] += vals
        norms[best] = float(np.linalg.norm(sums[best]))
        if item is not None:
            held[best][item[0]] = item[1]
    blk = _Block(x, profiles, items, threshold, groups, group_of, sums, norms, domains, activities)
    refined = _refine(blk, [st for st in steps if not (len(st) == 1 and score_of.get(st[0]) == FOLLOW_UP)],
                      followers, score_of)
    placed = change_text is not None and _place_lone(blk, vec, texts, change_text, followers, score_of)
    if refined or placed:
        kept = [g for g in blk.groups if g]
        return kept, [[score_of.get(j, 1.0) for j in g[1:]] for g in kept]
    return groups, scores


REFINE_ROUNDS = 1
"""How many times every passage is read again against the claims the first pass made (a second round
moved nothing more on the sample study and costs as much as the first)."""


@dataclass
class _Block:
    """One case's claims while they are refined: members, centroid sums and code counts per claim."""

    x: Any
    profiles: Sequence[Profile]
    items: Sequence[tuple[int, object] | None] | None
    threshold: float
    groups: list[list[int]]
    group_of: dict[int, int]
    sums: np.ndarray
    norms: list[float]
    domains: list[dict[str, int]]
    activities: list[dict[str, int]]

    def __post_init__(self) -> None:
        # per claim: how many of its passages fall under each item of each set of minutes
        self.held: list[dict[int, dict[object, int]]] = [{} for _ in self.groups]
        for g, members in enumerate(self.groups):
            for j in members:
                self._hold(g, j, +1)

    def _hold(self, g: int, j: int, by: int) -> None:
        item = self.items[j] if self.items is not None else None
        if item is not None:
            counts = self.held[g].setdefault(item[0], {})
            counts[item[1]] = counts.get(item[1], 0) + by
            if not counts[item[1]]:
                del counts[item[1]]

    def fits(self, g: int, unit: Sequence[int], idx: np.ndarray, vals: np.ndarray) -> bool:
        """Whether ``unit`` may join claim ``g``: no other item of the same minutes is in it, unless the
        claim's other sources tell the two as one change (``told_as_one``)."""
        if self.items is None:
            return True
        for j in unit:
            item = self.items[j]
            if (item is not None and any(key != item[1] for key in self.held[g].get(item[0], {}))
                    and not told_as_one(self.x, self.groups[g], self.items, item[0], self.sums[g], idx, vals,
                                       self.threshold)):
                return False
        return True

    def score(self, g: int, idx: np.ndarray, vals: np.ndarray, unit: Sequence[int], without: bool,
              floor: float | None = None) -> float:
        """The score ``unit`` (vector ``idx``/``vals``) has against claim ``g`` as the first pass computes it
        (text similarity plus the code bonuses), taking the unit's own part out of ``g`` when ``without``;
        -1 when the rules keep it out of ``g`` (too little text similarity, too few shared words, another
        item of the same minutes). ``floor`` is the text similarity the unit needs before the codes count
        (``TEXT_FLOOR`` of the threshold unless given). Computed from the stored sums and norms, without
        copying the claim's centroid."""
        part = self.sums[g, idx]
        n = len(self.groups[g])
        norm_sq = self.norms[g] ** 2
        dot = float(part @ vals)
        if without:
            n -= len(unit)
            vv = float(vals @ vals)
            norm_sq = norm_sq - 2 * dot + vv
            dot -= vv
            part = part - vals
        if n <= 0 or norm_sq <= 1e-12:
            return -1.0
        sim = dot / float(np.sqrt(norm_sq)) / max(float(np.linalg.norm(vals)), 1e-9)
        if sim < (TEXT_FLOOR * self.threshold if floor is None else floor):
            return -1.0
        if int(np.count_nonzero(part > 1e-6)) < MIN_SHARED_TERMS or (not without and not self.fits(g, unit, idx, vals)):
            return -1.0
        prof = self.profiles[unit[0]]
        mine = 1 if without else 0
        dom = self.domains[g].get(prof.domain, 0) - mine * sum(self.profiles[j].domain == prof.domain for j in unit)
        act = self.activities[g].get(prof.activity, 0) - mine * sum(
            self.profiles[j].activity == prof.activity for j in unit)
        return sim + CODE_BONUS["domain"] * dom / n + CODE_BONUS["activity"] * act / n

    def move(self, unit: Sequence[int], idx: np.ndarray, vals: np.ndarray, to: int) -> None:
        frm = self.group_of[unit[0]]
        for j in unit:
            self.groups[frm].remove(j)
            self.groups[to].append(j)
            self.group_of[j] = to
            self._hold(frm, j, -1)
            self._hold(to, j, +1)
            for counts, key in ((self.domains, self.profiles[j].domain), (self.activities, self.profiles[j].activity)):
                counts[frm][key] -= 1
                counts[to][key] = counts[to].get(key, 0) + 1
        self.sums[frm, idx] -= vals
        self.sums[to, idx] += vals
        self.norms[frm] = float(np.linalg.norm(self.sums[frm]))
        self.norms[to] = float(np.linalg.norm(self.sums[to]))


def _refine(blk: _Block, steps: Sequence[Sequence[int]], followers: dict[int, list[int]],
            score_of: dict[int, float]) -> bool:
    """Read every passage again against the claims as they stand after the first pass, and move it to
    the claim it now scores best with when that beats the rest of its own claim and reaches the threshold.

    Why: the first pass reads passages once, in order, so an early passage is compared with claims that
    hold one or two passages each; a record of a change in words of its own ("Sheila reported that she
    had her first appointment at the clinic") then founds a claim beside the one that, a few passages
    later, names that clinic, that service and that month. The same rules decide a move as a join
    (shared words, one item of each set of minutes), except that a move needs the words alone to reach
    the threshold: the codes tipped a first-pass join, they never carry a passage from claim to claim
    (a newsletter item on a reorganisation, sharing "health board" with a bus refusal, must not move
    there on its coded activity). A follow-up answer moves with the answer it follows up. Returns
    whether anything moved."""
    moved_any = False
    for _ in range(REFINE_ROUNDS):
        moved = False
        for step in steps:
            unit = list(step)
            for j in unit:  # grows as it goes: follow-ups of follow-ups come along too
                unit.extend(followers.get(j, []))
            own = blk.group_of[unit[0]]
            if any(blk.group_of[j] != own for j in unit):
                continue  # its follow-ups have gone elsewhere: leave it
            idx, vals = _unit_vector(blk.x, unit)
            if not len(idx):
                continue
            sims = _similarities(blk.sums, blk.norms[:len(blk.groups)], idx, vals)
            sims[own] = -1.0
            # a move needs the words alone to reach the threshold: most passages have no such claim
            candidates = [int(g) for g in np.argsort(-sims, kind="stable")[:8] if sims[g] >= blk.threshold]
            if not candidates:
                continue
            stay = blk.score(own, idx, vals, unit, without=True)
            best, best_score = -1, max(blk.threshold, stay)
            for g in candidates:
                score = blk.score(g, idx, vals, unit, without=False, floor=blk.threshold)
                if score > best_score:
                    best, best_score = g, score
            if best >= 0:
                blk.move(unit, idx, vals, best)
                for j in step:
                    score_of[j] = best_score
                moved = moved_any = True
        if not moved:
            break
    return moved_any


def _place_lone(blk: _Block, vec: Any, texts: Sequence[str], change_text: Callable[[str], str],
                followers: dict[int, list[int]], score_of: dict[int, float]) -> bool:
    """Read each passage still alone in its claim again by its change sentences only, and move it to the
    claim those reach.

    Why: an interview answer often states a change in passing, among words about something else
    ("Someone to act as a liaison … They applied for a post, I believe, and I'd support that. And
    perhaps they could send us specific questions …"): read whole, its words reach no claim and it
    founds one of its own, a second claim for the application the minutes and the annual report
    record. Its change sentence alone is about the application. The same rules decide the move as a
    refinement move (the words alone reach the threshold, no code bonus, at least ``MIN_SHARED_TERMS``
    change words in common, one item of each set of minutes); the claim's centroid keeps the passage's
    whole vector, as every other member's. Only passages alone in their claim, not followed up and not
    placed as a follow-up, are read again: one more reading each, so the cost stays linear. Returns
    whether anything moved."""
    moved = False
    for g0 in range(len(blk.groups)):
        if len(blk.groups[g0]) != 1:
            continue
        j = blk.groups[g0][0]
        if followers.get(j) or score_of.get(j) == FOLLOW_UP:
            continue
        said = change_text(texts[j])
        if not said or said == texts[j]:
            continue
        cx = vec.transform([said]).tocsr()
        idx, vals = cx.indices, cx.data.astype(np.float32)
        if len(idx) < MIN_SHARED_TERMS:
            continue
        sims = _similarities(blk.sums, blk.norms[:len(blk.groups)], idx, vals)
        sims[g0] = -1.0
        widx, wvals = _unit_vector(blk.x, [j])  # the minutes rule reads the passage whole, as a move does
        best, best_score = -1, blk.threshold
        for g in np.argsort(-sims, kind="stable")[:8]:
            g = int(g)
            score = float(sims[g])
            if score < blk.threshold:
                break
            if (blk.groups[g] and int(np.count_nonzero(blk.sums[g, idx] > 1e-6)) >= MIN_SHARED_TERMS
                    and blk.fits(g, [j], widx, wvals)):
                best, best_score = g, score
                break
        if best >= 0:
            blk.move([j], widx, wvals, best)
            score_of[j] = best_score
            moved = True
    return moved
