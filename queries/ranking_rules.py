"""The ranking order of therapies, once: evidence hits of one patient → entries in the order a tumour board reads.

Both :mod:`queries.ranking` (``pmkg match``) and :mod:`queries.annotate_ranking` (``pmkg annotate``)
hand their hits to :func:`order_entries`, so the two cannot drift.  A hit is anything with the
fields of :class:`RankableHit`; an entry (:class:`Entry`) is one therapy with one role
(sensitivity, resistance, adverse response) and its hits.  The README ("How therapies are
ranked") describes this order for users; this module is the one place it is decided.

1. **Resistance in this patient decides first.**  For each therapy with sensitivity evidence,
   the resistance evidence about it is read per alteration of the patient
   (:func:`standing`):

   - from an alteration that gives the therapy no sensitivity evidence (*co-occurring*
     resistance: ``EGFR T790M`` against erlotinib beside ``EGFR L858R``): clinical evidence
     (tier 1–3) in the patient's disease or a broader one (or any, when no disease is given)
     makes the therapy ``resistant``; preclinical or other-disease evidence makes it ``demoted``;
   - from an alteration that also gives it sensitivity evidence, the stronger side decides
     (:func:`strength`): the more specific variant match first, then the level, as DESIGN.md
     says, read among the evidence about the patient's disease (or a broader one) before the
     evidence about other tumour types — an ivosidenib approval in AML (``IDH1 mutation``) is
     not undone by a case report of ``IDH1 R132H`` resistance in another cancer.  Sensitivity
     that is stronger keeps the therapy ``clear`` (a warning shows both); resistance that is
     stronger acts as co-occurring resistance does; a tie is ``demoted`` (conflicting evidence);
   - resistance reached only at ``gene`` level (another alteration of the gene) never decides;
   - clinical resistance in an *overlapping* disease (transitional cell carcinoma for a bladder
     cancer) demotes and warns: it may be about tumours the patient's is not;
   - evidence written against a very broad term (:data:`BROAD_DISTANCE`: "cancer", "disease of
     cellular proliferation", "disease", any solid tumour) is ancestor evidence for sensitivity
     (a tumour-agnostic approval stays tier 1) but never *clinical resistance in the patient's
     disease*: such resistance demotes and warns, it does not make a therapy ``resistant``;
   - **a combination inherits the clinical resistance of its drugs** (:func:`inherited`):
     clinical resistance evidence (tiers 1-3) to a single drug counts against every therapy that
     contains that drug (by drug identity, not by name), and the reason names the drug —
     ``BRAF amplification`` against vemurafenib reaches ``Cobimetinib + Vemurafenib``,
     ``EGFR T790M`` against erlotinib reaches ``Erlotinib + Pemetrexed``.  It does not when the
     combination's own sensitivity evidence names the resistance alteration (exactly or by
     codon): that is activity despite it.  Resistance to a combination never spreads to its
     drugs alone, nor to other combinations.

   Bands: ``clear`` > ``demoted`` > ``resistant``: a therapy with any resistance signal in this
   patient never ranks above one without, whatever their tiers.  Each demotion says why.
2. **Level** (:func:`level_rank`), modelled on OncoKB's levels 1–3A vs 3B and ESCAT's I–II vs
   III: clinical evidence (tier 1 approved/guideline, 2 clinical, 3 case report) in the
   patient's disease, a broader one or an overlapping one (site and histology:
   :mod:`queries.disease_kinds`), by tier; then clinical evidence from other tumour types,
   by tier; then preclinical (4) and inferential (5) evidence.  Disease therefore acts more
   strongly than "within a tier": colorectal evidence for ``KRAS G12C`` or melanoma evidence for
   ``KIT D816V`` never opens a lung-cancer or mastocytosis answer ahead of that disease's own
   clinical evidence, while an approved therapy of another tumour type still ranks above
   preclinical data in the patient's own.
3. **Activity against the resistance.**  At the same level, a therapy with sensitivity evidence
   naming (exactly or by codon) an alteration whose clinical resistance made another therapy
   ``resistant`` although that therapy's sensitivity came from another alteration comes first
   (osimertinib with ``EGFR T790M`` beside ``EGFR L858R``, ponatinib with ``ABL1 T315I`` beside
   ``BCR::ABL1``); then, at the same level, a therapy whose outweighed resistance includes clinical
   evidence in the patient's disease (docetaxel + selumetinib's SELECT-1 in KRAS-mutant NSCLC) after
   every therapy without such evidence.
4. Then disease proximity (the patient's disease or a subtype > a broader term, nearer first:
   non-small cell lung carcinoma before lung cancer before "cancer" for a lung adenocarcinoma >
   an overlapping disease > another tumour type), variant specificity (exact > codon > exon >
   gene_class); then a therapy a source's curated assertion backs in the patient's disease or a broader
   one (CIViC's AMP/ASCO/CAP tier I assertions, MOAlmanac's FDA-approved and guideline ones: trastuzumab,
   CIViC AID 2, before margetuximab's single level-A item in HER2-positive breast cancer); then a
   therapy with no resistance evidence at all before one whose resistance was outweighed (BRAF + MEK
   before vemurafenib alone in melanoma, all exact; but osimertinib's exact T790M approval, with an
   outweighed case report of another cancer, before a gene-class "EGFR mutation" approval); the
   number of evidence items, their total rating, and the therapy's name.
5. **Sections.**  Therapies reached only at ``gene`` level (evidence about other alterations of
   the gene) are hints, listed after every ranked therapy; therapies with only resistance or
   only adverse-response evidence come last.  Each therapy's resistance and adverse entries
   follow its sensitivity entry.

The best hit of an entry (its shown tier and matches) is the first by the same order (level,
disease proximity and distance, specificity, rating).  Nothing here reads the graph or logs.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

SPECIFICITY_ORDER = {"exact": 0, "codon": 1, "exon": 2, "gene_class": 3, "gene": 4}
PROXIMITY_ORDER = {"exact": 0, None: 0, "ancestor": 1, "overlap": 2, "other": 3}  # no disease given: nothing is "other"
FOR, AGAINST, ADVERSE = "for", "against", "adverse"
CLEAR, DEMOTED, RESISTANT, GENE_LEVEL = "clear", "demoted", "resistant", "gene_level"
_BAND = {CLEAR: 0, DEMOTED: 1, RESISTANT: 2}
CLINICAL_TIERS = 3  # tiers 1-3 are clinical evidence; 4 preclinical, 5 inferential
_DECIDES_RESISTANCE = frozenset({"exact", "ancestor", None})  # where clinical resistance makes a therapy resistant
_NO_DRUGS: frozenset[Hashable] = frozenset()
_SPECIFIC_TO_ALTERATION = ("exact", "codon")  # what "evidence naming the resistance alteration" means
# A hit's ``distance`` for evidence written against a very broad term; nearer ancestors count their steps up.
BROAD_DISTANCE = 100


class RankableHit(Protocol):
    """What ranking needs to know of one evidence item reaching one therapy from one alteration."""

    @property
    def evidence_id(self) -> str: ...
    @property
    def role(self) -> str: ...  # FOR, AGAINST or ADVERSE
    @property
    def tier(self) -> int: ...
    @property
    def specificity(self) -> str: ...
    @property
    def proximity(self) -> str | None: ...  # exact / ancestor / overlap / other; None without a patient's disease
    @property
    def rating(self) -> int: ...
    @property
    def alteration(self) -> Hashable: ...  # which of the patient's alterations it came from
    @property
    def distance(self) -> int: ...  # steps up from the patient's disease to an ancestor's (BROAD_DISTANCE: broad)
    @property
    def target_name(self) -> str: ...  # the variant, class or profile it is about ("ALK G1202R")
    @property
    def curated(self) -> bool: ...  # a source's curated assertion (CIViC AID: AMP/ASCO/CAP tier, guideline, FDA)


H = TypeVar("H", bound=RankableHit)


def is_clinical(tier: int) -> bool:
    return tier <= CLINICAL_TIERS


def in_patients_disease(proximity: str | None) -> bool:
    """Evidence about the patient's disease, a broader one, or one that overlaps it (site and histology)."""
    return proximity != "other"


def resists_in_disease(hit: RankableHit) -> bool:
    """Clinical resistance in the patient's disease or a broader one that is not a very broad term.

    Resistance in an overlapping disease ("transitional cell carcinoma" for a "bladder cancer") does not decide:
    it may be about tumours the patient's is not.
    """
    return hit.tier <= CLINICAL_TIERS and hit.proximity in _DECIDES_RESISTANCE and hit.distance < BROAD_DISTANCE


def level_rank(tier: int, proximity: str | None) -> int:
    """0-2 clinical tiers in the patient's disease (or none given), 3-5 in other tumour types, 6-7 tiers 4-5.

    >>> [level_rank(1, "exact"), level_rank(3, "ancestor"), level_rank(1, "other"), level_rank(4, "exact")]
    [0, 2, 3, 6]
    """
    if not is_clinical(tier):
        return CLINICAL_TIERS * 2 + tier - CLINICAL_TIERS - 1
    return tier - 1 + (0 if in_patients_disease(proximity) else CLINICAL_TIERS)


class _LevelRanks(dict[tuple[int, str | None], int]):
    """level_rank of each (tier, proximity), worked out once and looked up: sort keys are computed for every hit
    of every entry, so the usual pairs are there from the start and any other is added when first asked for."""

    def __missing__(self, key: tuple[int, str | None]) -> int:
        rank = self[key] = level_rank(*key)
        return rank


_LEVEL_RANK = _LevelRanks(
    {(tier, proximity): level_rank(tier, proximity) for tier in range(1, 6) for proximity in PROXIMITY_ORDER}
)


def hit_order(hit: RankableHit) -> tuple[Any, ...]:
    """Best evidence first: level, disease proximity (nearer ancestors first), specificity, rating, id."""
    proximity = hit.proximity
    return (_LEVEL_RANK[hit.tier, proximity], PROXIMITY_ORDER[proximity], hit.distance,
            SPECIFICITY_ORDER[hit.specificity], -hit.rating, hit.evidence_id)  # fmt: skip


def strength(hit: RankableHit) -> tuple[int, int, int]:
    """How strongly one item speaks for its alteration (smaller is stronger): disease, specificity, level.

    Evidence about the patient's disease (or a broader one) outweighs evidence about other
    tumour types; among those, the more specific variant match, then the level, decides.
    """
    proximity = hit.proximity
    return 0 if proximity != "other" else 1, SPECIFICITY_ORDER[hit.specificity], _LEVEL_RANK[hit.tier, proximity]


@dataclass(frozen=True)
class Standing:
    """Where resistance in this patient puts a therapy, and why (``reason`` is empty when nothing argues against it)."""

    band: str = CLEAR
    reason: str = ""
    evidence: tuple[str, ...] = ()  # the resistance evidence that decided
    alterations: frozenset[Hashable] = frozenset()  # the alterations whose clinical resistance decided
    outweighed: str = ""  # resistance shown but outweighed by stronger sensitivity about the same alteration
    outweighed_in_disease: bool = False  # ... and some of it is clinical evidence in the patient's disease


NO_RESISTANCE = Standing()


@dataclass(slots=True)
class Entry(Generic[H]):
    """One therapy with one role, its hits, and (for sensitivity) its standing."""

    therapy: str  # a key: the therapy's graph id or name
    name: str
    role: str
    hits: list[H]
    standing: Standing = NO_RESISTANCE
    against_resistance: bool = False  # sensitivity evidence names an alteration that demoted another therapy
    _ordered: list[H] = field(default_factory=list, init=False, repr=False, compare=False)
    _unique: list[H] = field(default_factory=list, init=False, repr=False, compare=False)

    def ordered_hits(self) -> list[H]:
        """The hits best first (stable: equal hits keep their order), sorted once for all hits appended so far."""
        if len(self._ordered) != len(self.hits):
            self._ordered = sorted(self.hits, key=hit_order) if len(self.hits) > 1 else list(self.hits)
            self._unique = []
        return self._ordered

    @property
    def best(self) -> H:
        ordered = self._ordered
        return ordered[0] if len(ordered) == len(self.hits) else self.ordered_hits()[0]

    @property
    def gene_level(self) -> bool:
        return self.best.specificity == "gene"

    @property
    def band(self) -> str:
        """``clear``/``demoted``/``resistant`` for ranked sensitivity, ``gene_level`` for hints, else the role."""
        if self.role != FOR:
            return self.role
        return GENE_LEVEL if self.gene_level else self.standing.band

    def unique_hits(self) -> list[H]:
        """One hit per evidence item (its best), best first."""
        return list(self._unique_hits())

    def _unique_hits(self) -> list[H]:
        ordered = self.ordered_hits()
        if not self._unique:
            if len(ordered) == 1:
                self._unique = ordered
            else:
                best: dict[str, H] = {}
                for hit in ordered:
                    best.setdefault(hit.evidence_id, hit)
                self._unique = list(best.values())
        return self._unique

    def curated_in_disease(self, unique: Sequence[H]) -> bool:
        """Whether a source's curated assertion (a guideline or approval a curator summarised) supports this therapy
        in the patient's disease or a broader one: trastuzumab (CIViC AID 2) before margetuximab in HER2+ breast
        cancer, where both are tier 1 and trastuzumab's resistance elsewhere was outweighed."""
        return self.role == FOR and any(h.curated and in_patients_disease(h.proximity) for h in unique)

    def rank_key(self) -> tuple[Any, ...]:
        """The order of :func:`order_entries` (see the module docstring)."""
        unique = self._unique_hits()
        best = self._ordered[0]
        section = 1 if best.specificity == "gene" else 0  # gene-level hints after every ranked therapy
        # Outweighed clinical resistance in the patient's disease (SELECT-1 against docetaxel + selumetinib in KRAS
        # NSCLC) weighs before disease and match; outweighed resistance from other tumour types or the lab orders only
        # therapies as closely matched as each other: osimertinib's exact T790M approval, with a case report of another
        # cancer, still opens before a gene-class "EGFR mutation" approval.
        return (section, _BAND[self.standing.band], _LEVEL_RANK[best.tier, best.proximity], not self.against_resistance,
                self.standing.outweighed_in_disease,
                PROXIMITY_ORDER[best.proximity], best.distance, SPECIFICITY_ORDER[best.specificity],
                not self.curated_in_disease(unique), bool(self.standing.outweighed),
                -len(unique), -sum([h.rating for h in unique]), self.name.lower(), self.therapy)  # fmt: skip


def standing(sensitivity: Sequence[RankableHit], resistance: Sequence[RankableHit]) -> Standing:
    """Where the resistance hits put a therapy whose sensitivity hits are ``sensitivity`` (module docstring, 1)."""
    return _standing(sensitivity, _by_alteration(resistance), None)


Grouped = dict[Hashable, list[RankableHit]]  # resistance hits by alteration, in the order found; never gene-level
Verdicts = dict[tuple[tuple[int, ...], tuple[int, ...]], "_Verdict"]


def _by_alteration(resistance: Iterable[RankableHit]) -> Grouped:
    """Resistance hits by the alteration they come from; gene-level ones never count."""
    grouped: Grouped = {}
    for hit in resistance:
        if hit.specificity != "gene":
            found = grouped.get(hit.alteration)
            if found is None:
                grouped[hit.alteration] = [hit]
            else:
                found.append(hit)
    return grouped


def _standing(sensitivity: Sequence[RankableHit], by_alteration: Grouped, verdicts: Verdicts | None) -> Standing:
    """:func:`standing` of resistance hits already grouped by alteration (lists read, never changed).

    ``verdicts`` keeps each alteration's verdict during one :func:`order_entries`, keyed on the identity of the
    hits weighed: a drug's inherited resistance is weighed, and worded, once for every combination containing the
    drug.  The hits must outlive the dict (they do: it lives as long as one ranking); each verdict is the one
    :func:`_verdict` gives for the same hits, which ``tests/regressions/test_ranking_cost.py`` holds it to.
    """
    if not by_alteration:
        return NO_RESISTANCE
    own_by_alteration: dict[Hashable, list[RankableHit]] = {}
    for hit in sensitivity:
        if hit.specificity != "gene" and hit.alteration in by_alteration:
            own_by_alteration.setdefault(hit.alteration, []).append(hit)
    worst = CLEAR
    reasons: list[str] = []
    deciding: list[str] = []
    culprits: set[Hashable] = set()
    outweighed: list[str] = []
    outweighed_in_disease = False
    for alteration, against in by_alteration.items():
        own = own_by_alteration.get(alteration, _NO_HITS)
        if verdicts is None:
            verdict = _verdict(against, own)
        else:
            key = (tuple(map(id, against)), tuple(map(id, own)))
            kept = verdicts.get(key)
            verdict = kept if kept is not None else verdicts.setdefault(key, _verdict(against, own))
        if verdict.band == CLEAR:
            outweighed.append(verdict.reason)
            outweighed_in_disease = outweighed_in_disease or verdict.clinical
            continue
        reasons.append(verdict.reason)
        deciding.extend(verdict.deciding)
        if verdict.band == RESISTANT:
            culprits.add(alteration)
        if _BAND[verdict.band] > _BAND[worst]:
            worst = verdict.band
    if worst == CLEAR:
        return Standing(outweighed="; ".join(outweighed), outweighed_in_disease=outweighed_in_disease)
    return Standing(worst, "; ".join(reasons), tuple(dict.fromkeys(deciding)), frozenset(culprits),
                    "; ".join(outweighed), outweighed_in_disease)  # fmt: skip


@dataclass(slots=True)  # not frozen: a frozen init sets each field through object.__setattr__ (never changed once made)
class _Verdict:
    """What one alteration's resistance does to a therapy: its band (``clear`` when outweighed) and why."""

    band: str
    reason: str  # for ``clear``: how the resistance is outweighed
    deciding: tuple[str, ...]  # the resistance evidence that decided, in the order shown
    clinical: bool  # some of the resistance is clinical evidence in the patient's disease


_NO_HITS: tuple[RankableHit, ...] = ()


def _verdict(against: Sequence[RankableHit], own: Sequence[RankableHit]) -> _Verdict:
    """One alteration's resistance hits (``against``) weighed against its sensitivity hits for the same therapy."""
    against = sorted(against, key=strength) if len(against) > 1 else against
    clinical = [h for h in against if resists_in_disease(h)]
    shown = clinical or against
    what = f"{_targets(against)} ({_summary(shown)})"
    deciding = tuple([h.evidence_id for h in shown])
    if not own:
        kind = "clinical resistance" if clinical else "preclinical or other-disease resistance only"
        return _Verdict(RESISTANT if clinical else DEMOTED, f"{what}, another of the patient's alterations: {kind}",
                        deciding, bool(clinical))  # fmt: skip
    own = sorted(own, key=strength) if len(own) > 1 else own
    own_strength, against_strength = strength(own[0]), strength(against[0])
    if own_strength < against_strength:
        return _Verdict(CLEAR, f"{what} is outweighed by more specific or stronger sensitivity evidence about the "
                               f"same alteration ({_summary(own)})", deciding, bool(clinical))  # fmt: skip
    if own_strength == against_strength:
        return _Verdict(DEMOTED, f"{what} conflicts with sensitivity evidence of equal strength ({_summary(own)})",
                        deciding, bool(clinical))  # fmt: skip
    kind = "clinical" if clinical else "preclinical or other-disease"
    return _Verdict(RESISTANT if clinical else DEMOTED,
                    f"{what}: {kind} resistance, stronger than the sensitivity evidence ({_summary(own)})",
                    deciding, bool(clinical))  # fmt: skip


@dataclass(slots=True)  # not frozen: a frozen init sets each field through object.__setattr__, several times slower
class InheritedHit:
    """A drug's resistance hit counted against a therapy that contains the drug (module docstring, 1; never changed)."""

    evidence_id: str
    role: str
    tier: int
    specificity: str
    proximity: str | None
    rating: int
    alteration: Hashable
    distance: int
    target_name: str  # "BRAF amplification (resistance to Vemurafenib, a drug of this therapy)"
    curated: bool = False


def inherited(
    therapy: Entry[Any],
    drugs: frozenset[Hashable],
    single: Mapping[Hashable, Entry[Any]],
    passed_on: dict[Hashable, Grouped] | None = None,
) -> Grouped:
    """The clinical resistance hits of ``therapy``'s drugs by alteration (``single``: each drug's resistance entry).

    Only a therapy of two or more drugs inherits; an alteration its own sensitivity evidence names
    (exactly or by codon) passes nothing on: that evidence is activity despite the resistance.
    ``passed_on`` keeps each drug's inheritable hits between calls about the same patient; its lists are shared
    by every therapy containing the drug (and by the answer: never change them).
    """
    if len(drugs) < 2:
        return {}
    passed_on = {} if passed_on is None else passed_on
    named: set[Hashable] | None = None  # read only when a drug passes something on: most pass nothing
    found: Grouped = {}
    for drug in sorted(drugs, key=str):
        grouped = passed_on.get(drug)
        if grouped is None:
            grouped = passed_on[drug] = _by_alteration(_passed_on(single.get(drug)))
        if grouped:
            if named is None:
                named = {h.alteration for h in therapy.hits if h.specificity in _SPECIFIC_TO_ALTERATION}
            for alteration, hits in grouped.items():
                if alteration not in named:
                    known = found.get(alteration)
                    found[alteration] = hits if known is None else known + hits
    return found


def _passed_on(against: Entry[Any] | None) -> list[InheritedHit]:
    """A drug's clinical resistance hits as a therapy containing it inherits them (none without an entry)."""
    if against is None:
        return []
    return [InheritedHit(hit.evidence_id, hit.role, hit.tier, hit.specificity, hit.proximity, hit.rating,
                         hit.alteration, hit.distance,
                         f"{hit.target_name} (resistance to {against.name}, a drug of this therapy)")
            for hit in against.hits if is_clinical(hit.tier) and hit.specificity != "gene"]  # fmt: skip


def _targets(hits: Sequence[RankableHit]) -> str:
    return " / ".join(dict.fromkeys([h.target_name for h in hits]))


def _summary(hits: Sequence[RankableHit], limit: int = 3) -> str:
    seen = list(dict.fromkeys([(h.evidence_id, h.tier) for h in hits]))  # worded only for the few shown
    more = f" and {len(seen) - limit} more" if len(seen) > limit else ""
    return ", ".join([f"{evidence_id} tier {tier}" for evidence_id, tier in seen[:limit]]) + more


def warning(entry: Entry[Any]) -> str | None:
    """What a user must be told about a sensitivity entry's standing (None when there is nothing)."""
    if entry.role != FOR:
        return None
    if entry.standing.band == RESISTANT:
        return f"{entry.name}: resistance in this patient ({entry.standing.reason}); ranked below every therapy " \
               "without resistance"  # fmt: skip
    if entry.standing.band == DEMOTED:
        return f"{entry.name}: {entry.standing.reason}; ranked below every therapy without resistance signals"
    if entry.standing.outweighed:
        return f"{entry.name}: resistance evidence shown beside it: {entry.standing.outweighed}"
    return None


@dataclass
class Ordered(Generic[H]):
    """Entries in answer order, and the warnings about their standing."""

    entries: list[Entry[H]]
    warnings: list[str]


def order_entries(
    pairs: Iterable[tuple[str, str, H]], drugs: Mapping[str, frozenset[Hashable]] | None = None
) -> Ordered[H]:
    """``(therapy key, therapy name, hit)`` triples → entries in answer order (module docstring).

    ``drugs`` gives each therapy key its drugs' identities; a therapy of one drug passes its clinical
    resistance on to every therapy that contains that drug.  Without it nothing is inherited.
    """
    groups: dict[tuple[str, str], Entry[H]] = {}
    for therapy, name, hit in pairs:
        key = (therapy, hit.role)
        entry = groups.get(key)
        if entry is None:
            entry = groups[key] = Entry(therapy, name, hit.role, [])
        entry.hits.append(hit)
    drugs = drugs or {}
    single = {next(iter(d)): groups[(t, AGAINST)] for t, d in drugs.items() if len(d) == 1 and (t, AGAINST) in groups}
    resisting: set[Hashable] = set()
    passed_on: dict[Hashable, Grouped] = {}
    verdicts: Verdicts = {}  # see _standing(): this ranking's only
    for (therapy, role), entry in groups.items():
        if role != FOR:
            continue
        against = groups.get((therapy, AGAINST))
        grouped = _by_alteration(against.hits) if against is not None else {}
        for alteration, hits in inherited(entry, drugs.get(therapy, _NO_DRUGS), single, passed_on).items():
            known = grouped.get(alteration)  # its own resistance first, then its drugs', as standing() reads them
            grouped[alteration] = hits if known is None else known + hits
        if grouped:
            entry.standing = _standing(entry.hits, grouped, verdicts)
            # an alteration resists "from beside" (clinically) when the therapy's sensitivity came from another one
            if entry.standing.alterations:
                own = {h.alteration for h in entry.hits}
                resisting |= {a for a in entry.standing.alterations if own - {a}}
    for entry in groups.values() if resisting else ():  # without resisting alterations no entry is against one
        entry.against_resistance = (
            entry.role == FOR
            and entry.standing.band == CLEAR
            and any(h.alteration in resisting and h.specificity in _SPECIFIC_TO_ALTERATION for h in entry.hits)
        )
    ordered: list[Entry[H]] = []
    for entry in sorted((e for e in groups.values() if e.role == FOR), key=Entry.rank_key):
        ordered.append(entry)
        ordered.extend(groups[(entry.therapy, r)] for r in (AGAINST, ADVERSE) if (entry.therapy, r) in groups)
    for role in (AGAINST, ADVERSE):
        alone = [e for (t, r), e in groups.items() if r == role and (t, FOR) not in groups]
        ordered.extend(sorted(alone, key=lambda e: (hit_order(e.best), e.name.lower(), e.therapy)))
    # only a sensitivity entry that resistance touched has something to say (warning() of any other is None)
    notes = [w for e in ordered if e.standing is not NO_RESISTANCE and (w := warning(e))]
    return Ordered(ordered, notes)
