"""Cohort annotation: patient files → one row per alteration and one summary per sample.

:class:`CohortAnnotator` reads patient files (:mod:`queries.inputs`) as a stream and, for
each alteration, writes a :class:`VariantRow`: its status (``normalized``, ``unrecognized``,
``ambiguous``; ``skipped`` for consequences that change no protein; ``unreadable`` for a
line the reader could not read), the variant it is, the best sensitivity and resistance
tiers, the therapies its evidence reaches in the sample's disease, and the evidence ids.
After the last file, :meth:`CohortAnnotator.summaries` gives each sample's
:class:`SampleSummary`: the evidence of all its alterations ranked together as one patient
(resistance from one alteration demotes another's therapy), and, when two of its alterations
reach one molecular profile (``EGFR L858R AND EGFR T790M``), the evidence the whole patient
reaches (:func:`queries.matching.reach_evidence`), so the profile is evaluated on the patient.
Either way a sample is ranked once (:func:`queries.annotate_ranking.rank_groups`).

Cohorts repeat themselves (``NPM1 W288fs`` in a third of AML, ``KRAS G12D`` everywhere), so
each distinct alteration is normalised and matched once (without a disease: which evidence it
reaches does not depend on one) and ranked once per tumour type
(:mod:`queries.annotate_ranking`); both are remembered in bounded memos.  Rows are yielded as
they are made; a sample keeps only references to its alterations that reach evidence, so
memory grows with samples and their actionable alterations, not with rows.

Decisions (each is in the output, nothing is dropped silently):

- MAF/VCF consequences that change no protein (:data:`NOT_ASSESSED`: ``Silent``,
  ``Intron``, UTRs, ``3'Flank``, ``IGR``, ``RNA``, their Sequence Ontology names) are
  ``skipped`` with the reason; ``5'Flank``/upstream variants are matched (TERT promoter).
- A row is matched on its gene and protein change when it has them, else its c. change,
  else its genomic position, else its rs id; if that form is not recognised the next one is
  tried.  Rows that are only text (``EGFR vIII``, ``MSI-H``) are read by
  :func:`queries.notation.parse_variant`.
- A sample's disease comes from ``--clinical`` (its barcode, or the sample id it extends) or
  ``--disease`` for every sample; a ``|``-separated list (CivicAnnotator's ``Civic_Disease``)
  resolves to its most specific term the graph knows.  Without one, therapies are matched
  without disease proximity, and the summary says so.
- A row's and a sample's ``therapies`` and ``sensitive_tier`` hold only therapies matched in the
  sample's disease (or a broader one) through the variant, its codon, exon or class; evidence
  about other tumour types is listed apart (``other_disease``), and so are gene-level fallbacks
  (``gene_level``: therapies for *other* alterations of the gene).  Neither sets a tier.
- A variant of unknown significance in an actionable gene (:mod:`queries.significance`: no
  evidence names it, the class rules put it in no class with evidence; or a germline row no
  source calls pathogenic) has status ``unknown_significance``, its reason as the message,
  and its gene's therapies in the ``unknown_significance`` column: never a tier.  A row a
  reader reports without matching (a STAR-Fusion call below the support threshold) has
  status ``not_matched``.

Nothing here logs: rows hold patient data.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kg.errors import AmbiguousName
from kg.schema import Label
from kg.stores.port import BuildManifest, Store
from queries.annotate_ranking import EMPTY, Group, Ranked, groups_of, rank_groups
from queries.graph_view import view_for
from queries.inputs import ClinicalTable, LineProblem, PatientFile, ReadReport
from queries.matching import reach_evidence
from queries.models.enums import InputStatus
from queries.normalize import NORMALIZED, UNRECOGNIZED, DiseaseMatch, NormalizedVariant, resolve_disease
from queries.notation import Unparsed, parse_variant
from queries.patient import FILE_ROW, Alteration

SKIPPED, UNREADABLE = InputStatus.SKIPPED, InputStatus.UNREADABLE
UNKNOWN_SIGNIFICANCE = InputStatus.UNKNOWN_SIGNIFICANCE
RECOGNIZED = frozenset({NORMALIZED, UNKNOWN_SIGNIFICANCE})
# Consequences that change no protein: MAF Variant_Classification and Sequence Ontology names, lower-cased.
NOT_ASSESSED = frozenset({
    "silent", "intron", "3'utr", "5'utr", "3'flank", "igr", "rna", "lincrna", "synonymous_variant",
    "intron_variant", "3_prime_utr_variant", "5_prime_utr_variant", "downstream_gene_variant", "intergenic_variant",
    "non_coding_transcript_exon_variant", "non_coding_transcript_variant", "mature_mirna_variant",
})  # fmt: skip
MEMO_SIZE = 50_000
ProgressCallback = Callable[[int, int], None]  # (bytes read so far, bytes in all files)


@dataclass(frozen=True, slots=True)
class _Base:
    """What one distinct alteration is and which evidence it reaches, whatever the disease."""

    status: str
    variant: str | None
    message: str
    groups: tuple[Group, ...]
    form: Alteration | None  # the form that matched (no sample, origin FILE_ROW), for a whole-patient match
    profiles: frozenset[str]  # molecular profiles with a component it reaches
    actionable: bool = False  # it can change its sample's summary: therapy evidence (gene-level hints too), a profile
    gene_therapies: tuple[str, ...] = ()  # a variant of unknown significance: its gene's therapies (context)
    normalized: NormalizedVariant | None = None  # ``form`` normalised, so a whole-patient match reads it only once

    @classmethod
    def of(cls, status: str, variant: str | None, message: str, groups: tuple[Group, ...] = (),
           form: Alteration | None = None, profiles: frozenset[str] = frozenset(),
           gene_therapies: tuple[str, ...] = (), normalized: NormalizedVariant | None = None) -> _Base:  # fmt: skip
        return cls(status, variant, message, groups, form, profiles, bool(profiles) or bool(groups), gene_therapies,
                   normalized if form is not None else None)  # fmt: skip


class _Outcome:
    """One distinct alteration ranked in one disease: what every row repeating it shows."""

    __slots__ = ("_tail", "base", "disease", "ranked")

    def __init__(self, base: _Base, disease: str | None, ranked: Ranked) -> None:
        self.base = base
        self.disease = disease
        self.ranked = ranked
        self._tail: str | None = None

    def tail(self) -> str:
        """The row's TSV columns after sample, input and origin (made once, shared by every repeat)."""
        if self._tail is None:
            r = self.ranked
            values = (self.base.status, self.base.variant, self.disease, r.sensitive_tier, r.resistance_tier,
                      "; ".join(e.text for e in r.sensitive), "; ".join(e.text for e in r.resistant),
                      "; ".join(e.text for e in r.other_disease), "; ".join(r.gene_level),
                      "; ".join(self.base.gene_therapies), "; ".join(r.evidence),
                      self.base.message)  # fmt: skip
            self._tail = "\t".join(_clean_cell(v) for v in values)
        return self._tail


def _clean_cell(value: object) -> str:
    return "" if value is None else str(value).replace("\t", " ").replace("\n", " ")


class VariantRow:
    """One alteration of one sample and what it matched (shares its outcome with every repeat)."""

    __slots__ = ("input", "origin", "outcome", "sample")
    COLUMNS = ("sample", "input", "origin", "status", "variant", "disease", "sensitive_tier", "resistance_tier",
               "therapies", "resistance", "other_disease", "gene_level", "unknown_significance", "evidence",
               "message")  # fmt: skip

    def __init__(self, sample: str, input: str, origin: str, outcome: _Outcome) -> None:
        self.sample = sample
        self.input = input
        self.origin = origin
        self.outcome = outcome

    status = property(lambda self: self.outcome.base.status)
    variant = property(lambda self: self.outcome.base.variant)
    disease = property(lambda self: self.outcome.disease)
    message = property(lambda self: self.outcome.base.message)
    sensitive_tier = property(lambda self: self.outcome.ranked.sensitive_tier)
    resistance_tier = property(lambda self: self.outcome.ranked.resistance_tier)
    therapies = property(lambda self: tuple(e.text for e in self.outcome.ranked.sensitive))
    resistance = property(lambda self: tuple(e.text for e in self.outcome.ranked.resistant))
    other_disease = property(lambda self: tuple(e.text for e in self.outcome.ranked.other_disease))
    gene_level = property(lambda self: self.outcome.ranked.gene_level)
    unknown_significance = property(lambda self: self.outcome.base.gene_therapies)
    evidence = property(lambda self: self.outcome.ranked.evidence)

    def tsv(self) -> str:
        # Sample, input and origin come from tab-separated lines: they hold no tab or newline.
        return f"{self.sample}\t{self.input}\t{self.origin}\t{self.outcome.tail()}"

    RESULT_COLUMNS = COLUMNS[3:]  # what every repeat of one alteration in one disease shares

    def as_json(self) -> dict[str, Any]:
        return {name: (list(value) if isinstance(value, tuple) else value)
                for name in self.COLUMNS for value in [getattr(self, name)]}  # fmt: skip

    def result_json(self) -> dict[str, Any]:
        """The part of :meth:`as_json` shared by every row of this alteration in this disease."""
        return {name: (list(value) if isinstance(value, tuple) else value)
                for name in self.RESULT_COLUMNS for value in [getattr(self, name)]}  # fmt: skip

    def __repr__(self) -> str:
        return f"VariantRow({self.sample!r}, {self.input!r}, {self.status!r}, {self.variant!r})"


@dataclass
class SampleSummary:
    """One sample as a whole patient."""

    sample: str
    disease_input: str | None
    disease: str | None  # "name (id)" of the resolved disease
    alterations: int  # rows of this sample
    recognized: int  # rows normalised
    sensitive_tier: int | None
    resistance_tier: int | None
    therapies: list[str]  # "therapy (tier N, variant match, disease match[, standing])", in its disease, best first
    resistance: list[str]
    other_disease: list[str]  # therapies whose best evidence is about other tumour types
    gene_level: list[str]  # therapies reached only through other alterations of a gene
    evidence: list[str]
    message: str

    COLUMNS = ("sample", "disease_input", "disease", "alterations", "recognized", "sensitive_tier",
               "resistance_tier", "therapies", "resistance", "other_disease", "gene_level", "evidence",
               "message")  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.COLUMNS}

    def tsv(self) -> str:
        return "\t".join(_clean_cell("; ".join(map(str, v)) if isinstance(v, list) else v)
                         for v in (getattr(self, name) for name in self.COLUMNS))  # fmt: skip


@dataclass
class _Disease:
    input: str | None
    match: DiseaseMatch | None
    label: str | None  # "name (id)"
    note: str = ""


@dataclass
class _SampleState:
    """What a sample keeps while rows stream: counts, and references to its actionable alterations."""

    disease: _Disease
    rows: int = 0
    recognized: int = 0
    bases: dict[int, _Base] = field(default_factory=dict)  # by id: shared with the memo, never copied


def _key(alteration: Alteration) -> tuple[Any, ...]:
    a = alteration
    return (a.text, a.gene, a.protein_change, a.coding_change, a.transcript, a.assembly, a.chromosome, a.position,
            a.ref, a.alt, a.copy_number, a.fusion_partner, a.consequence, a.exon, a.rsid, a.biomarker,
            a.biomarker_value, a.germline, a.not_matched, a.fusion_flag)  # fmt: skip


def matching_forms(alteration: Alteration) -> list[Alteration] | Unparsed:
    """The forms of a file row to match, most informative first (see the module docstring)."""
    a = alteration
    if a.not_matched:
        return [replace(a, sample=None, origin=FILE_ROW)]
    structured = (a.protein_change or a.coding_change or a.position is not None or a.copy_number
                  or a.fusion_partner or a.rsid or a.biomarker or a.consequence == "gene_fusion")  # fmt: skip
    if not structured:
        parsed = parse_variant(a.text, assembly=a.assembly)
        if isinstance(parsed, Unparsed):
            return parsed
        parsed = replace(parsed, germline=a.germline, fusion_flag=a.fusion_flag)
        return [Alteration(**{**_fields(parsed), "sample": None, "origin": FILE_ROW})]
    forms: list[Alteration] = []
    if a.gene and a.protein_change:
        forms.append(Alteration(a.text, a.gene, a.protein_change, consequence=a.consequence, exon=a.exon))
    if a.gene and a.coding_change:
        forms.append(Alteration(a.text, a.gene, coding_change=a.coding_change, transcript=a.transcript,
                                consequence=a.consequence, exon=a.exon))  # fmt: skip
    if a.position is not None and a.chromosome and a.ref and a.alt:
        forms.append(Alteration(a.text, a.gene, assembly=a.assembly, chromosome=a.chromosome, position=a.position,
                                ref=a.ref, alt=a.alt, consequence=a.consequence))  # fmt: skip
    if a.rsid:
        forms.append(Alteration(a.text, a.gene, rsid=a.rsid))
    if not forms:
        forms.append(Alteration(**{**_fields(a), "sample": None, "origin": FILE_ROW}))
    return [replace(f, germline=a.germline, fusion_flag=a.fusion_flag, origin=FILE_ROW) for f in forms]


def _fields(alteration: Alteration) -> dict[str, Any]:
    return {name: getattr(alteration, name) for name in Alteration.__dataclass_fields__}


class CohortAnnotator:
    """Annotates patient files for one store; see the module docstring.

    ``clinical`` maps samples to tumour types; ``disease`` is every sample's (the two are
    exclusive).  ``progress`` is called now and then with bytes read and bytes in all files.
    """

    def __init__(
        self,
        store: Store,
        *,
        clinical: ClinicalTable | None = None,
        disease: str | None = None,
        progress: ProgressCallback | None = None,
        memo_size: int = MEMO_SIZE,
    ) -> None:
        if clinical is not None and disease is not None:
            raise ValueError("give a clinical table or one disease for every sample, not both")
        self.store = store
        self.view = view_for(store)  # NoBuild if the store holds no graph
        self.clinical = clinical
        self.disease = disease
        self.progress = progress
        self.memo_size = memo_size
        self.reports: list[ReadReport] = []
        self.memo_hits = 0  # rows answered from memory
        self.memo_misses = 0  # distinct alterations normalised and matched
        self._bases: OrderedDict[tuple[Any, ...], _Base] = OrderedDict()
        self._outcomes: OrderedDict[tuple[Any, ...], _Outcome] = OrderedDict()
        self._samples: dict[str, _SampleState] = {}
        self._diseases: dict[str | None, _Disease] = {}

    @property
    def build(self) -> BuildManifest:
        return self.view.manifest

    @property
    def samples(self) -> list[str]:
        """The samples seen so far, in order of first appearance."""
        return [sample for sample in self._samples if sample]

    # -- rows ------------------------------------------------------------------------------------
    def rows(self, files: Sequence[PatientFile]) -> Iterator[VariantRow]:
        """Every alteration of every file, in file order; read problems come back as ``unreadable`` rows."""
        total = sum(f.size for f in files)
        done = 0
        for index, reader in enumerate(files):
            if index > 0 and len(self._samples) == 1:  # a CNA/fusion file naming no sample is the patient's
                reader.default_sample = next(iter(self._samples))
            for count, item in enumerate(reader, start=1):
                if isinstance(item, LineProblem):
                    yield self._unreadable(item)
                else:
                    yield self._row(item)
                if self.progress is not None and count % 4096 == 0:
                    self.progress(done + reader.report.bytes_read(), total)
            done += reader.size
            if self.progress is not None:
                self.progress(done, total)
            self.reports.append(reader.report)

    def _unreadable(self, problem: LineProblem) -> VariantRow:
        sample = problem.sample or ""
        if sample:
            self._state(sample).rows += 1
        message = f"field {problem.field!r}: {problem.problem}" if problem.field else problem.problem
        base = _Base.of(UNREADABLE, None, message)
        return VariantRow(sample, "", problem.origin, _Outcome(base, None, EMPTY))

    def _row(self, alteration: Alteration) -> VariantRow:
        sample = alteration.sample or ""
        state = self._state(sample)
        state.rows += 1
        if alteration.consequence and alteration.consequence.lower() in NOT_ASSESSED:
            return VariantRow(sample, alteration.text, alteration.origin or "",
                              self._skipped(alteration.consequence, state.disease.label))  # fmt: skip
        key = _key(alteration)
        disease = state.disease
        outcome_key = (key, disease.label)
        outcome = self._outcomes.get(outcome_key)
        if outcome is None:
            base = self._base(key, alteration)
            ranked = rank_groups(self.view, [base.groups], disease.match) if base.groups else EMPTY
            outcome = _remember(self._outcomes, outcome_key, _Outcome(base, disease.label, ranked), self.memo_size)
        else:
            self.memo_hits += 1
            self._outcomes.move_to_end(outcome_key)
        base = outcome.base
        if base.status in RECOGNIZED:
            state.recognized += 1
            if base.actionable:
                state.bases.setdefault(id(base), base)
        return VariantRow(sample, alteration.text, alteration.origin or "", outcome)

    def _base(self, key: tuple[Any, ...], alteration: Alteration) -> _Base:
        base = self._bases.get(key)
        if base is not None:
            self.memo_hits += 1
            self._bases.move_to_end(key)
            return base
        self.memo_misses += 1
        return _remember(self._bases, key, self._match(alteration), self.memo_size)

    def _match(self, alteration: Alteration) -> _Base:
        forms = matching_forms(alteration)
        if isinstance(forms, Unparsed):
            return _Base.of(UNRECOGNIZED, None, forms.message)
        form = forms[0]
        first = result = reach_evidence(self.store, [form], view=self.view)
        for other in forms[1:]:  # the next form, when one is not recognised
            if result.variants[0].status == NORMALIZED:
                break
            form, result = other, reach_evidence(self.store, [other], view=self.view)
        if result.variants[0].status != NORMALIZED:
            result = first  # the most informative form says best why the row was not recognised
        variant = result.variants[0]
        profiles = frozenset(
            p.id for m in variant.matches if m.label != Label.GENE for p in self.view.profiles_with(m.id)
        )
        normalized = variant.status == NORMALIZED
        if normalized and result.unknown_significance:  # the row's own section: untiered, its gene's therapies
            # A variant named only beside other alterations (ALK G1202R in EML4::ALK Fusion AND ALK G1202R) keeps its
            # form and profiles, so its sample is matched as a whole patient when a partner alteration is there too.
            entry = result.unknown_significance[0]
            return _Base.of(UNKNOWN_SIGNIFICANCE, variant.variant_name, entry.reason, form=form if profiles else None,
                            profiles=profiles, gene_therapies=entry.gene_therapies, normalized=variant)  # fmt: skip
        return _Base.of(variant.status, variant.variant_name, variant.as_json()["message"],
                        groups_of(self.view, result.hits), form if normalized else None,
                        profiles if normalized else frozenset(), normalized=variant)  # fmt: skip

    def _skipped(self, consequence: str, disease: str | None) -> _Outcome:
        key = ("skipped", consequence, disease)
        outcome = self._outcomes.get(key)
        if outcome is None:
            base = _Base.of(SKIPPED, None, f"{consequence}: changes no protein, not assessed")
            outcome = _remember(self._outcomes, key, _Outcome(base, disease, EMPTY), self.memo_size)
        return outcome

    # -- samples ---------------------------------------------------------------------------------
    def _state(self, sample: str) -> _SampleState:
        state = self._samples.get(sample)
        if state is None:
            text = self.clinical.disease_for(sample) if self.clinical is not None else self.disease
            state = self._samples[sample] = _SampleState(self._resolve(text, sample))
        return state

    def _resolve(self, text: str | None, sample: str) -> _Disease:
        known = self._diseases.get(text)
        if known is not None:
            return known
        if text is None:
            note = (
                "no tumour type for this sample in the clinical table"
                if self.clinical is not None
                else ("no disease given")
            )
            found = _Disease(None, None, None, f"{note}: therapies matched without disease proximity")
            return found  # not memoised: the note is the same, but say it per sample
        choices = [part.strip() for part in text.split("|") if part.strip()] or [text]
        try:
            matches = [(i, m) for i, m in enumerate(resolve_disease(self.store, c, view=self.view) for c in choices)
                       if m]  # fmt: skip
        except AmbiguousName as exc:  # a retired code that now names several types: the sample's note lists them
            found = _Disease(text, None, None, f"{exc}: therapies matched without disease proximity")
            self._diseases[text] = found
            return found
        if not matches:
            found = _Disease(text, None, None, f"tumour type {text!r} is not in this graph: therapies matched without "
                             "disease proximity")  # fmt: skip
        else:
            _, best = max(matches, key=lambda im: (len(im[1].ancestors), -im[0]))
            note = f"{text!r} read as {best.name} ({best.id}), its most specific term" if len(choices) > 1 else ""
            note = "; ".join(n for n in (note, *best.notes) if n)
            found = _Disease(text, best, f"{best.name} ({best.id})", note)
        self._diseases[text] = found
        return found

    def summaries(self) -> Iterator[SampleSummary]:
        """Each sample seen, in order of first appearance, as a whole patient.

        The evidence of all the sample's alterations is ranked together in its disease
        (:func:`queries.annotate_ranking.rank_groups`).  When two of its alterations reach one
        molecular profile, the sample is matched again with all its actionable alterations
        together (:func:`queries.matching.reach_evidence`), so the profile is evaluated on
        the whole patient, and that evidence, ranked once, is the summary.
        """
        for sample, state in self._samples.items():
            if not sample:
                continue
            disease = state.disease
            bases = list(state.bases.values())
            if _shares_a_profile(bases):
                forms = [b.normalized or b.form for b in bases if b.form is not None]  # each read once, in its row
                alterations = [groups_of(self.view, reach_evidence(self.store, forms, view=self.view).hits)]
            else:
                alterations = [base.groups for base in bases]
            ranked = rank_groups(self.view, alterations, disease.match) if any(alterations) else EMPTY
            yield SampleSummary(
                sample=sample,
                disease_input=disease.input,
                disease=disease.label,
                alterations=state.rows,
                recognized=state.recognized,
                sensitive_tier=ranked.sensitive_tier,
                resistance_tier=ranked.resistance_tier,
                therapies=[e.text for e in ranked.sensitive],
                resistance=[e.text for e in ranked.resistant],
                other_disease=[e.text for e in ranked.other_disease],
                gene_level=list(ranked.gene_level),
                evidence=list(ranked.evidence),
                message="; ".join(([disease.note] if disease.note else []) + list(ranked.notes)),
            )


def _remember(memo: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> Any:
    if len(memo) >= size:
        memo.popitem(last=False)
    memo[key] = value
    return value


def _shares_a_profile(bases: Sequence[_Base]) -> bool:
    """Whether two of a sample's alterations reach one molecular profile (it must see them together)."""
    seen: set[str] = set()
    for base in bases:
        if seen & base.profiles:
            return True
        seen |= base.profiles
    return False


def annotate(
    store: Store,
    files: Sequence[PatientFile],
    *,
    clinical: ClinicalTable | None = None,
    disease: str | None = None,
) -> tuple[list[VariantRow], list[SampleSummary]]:
    """Annotate small inputs in memory: every row and every sample summary.  For cohorts, stream
    :meth:`CohortAnnotator.rows` instead."""
    annotator = CohortAnnotator(store, clinical=clinical, disease=disease)
    rows = list(annotator.rows(files))
    return rows, list(annotator.summaries())
