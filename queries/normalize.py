"""Normalisation: a patient's alteration → the graph nodes it reaches, and disease text → a disease.

:func:`normalize` resolves an :class:`~queries.patient.Alteration` (typed text read by
:func:`parse_variant`, or a file row) to its gene (HGNC symbols, aliases and previous symbols
through the graph: HER2 → ERBB2), its Variant node (or the canonical id it would have), and
every node evidence about it may be written against, each with how specific that match is:

``exact``       the alteration itself (its Variant, a class the input names, the copy-number
                class of the same event);
``codon``       a codon or allele-set class (``BRAF V600``, ``KRAS G12/G13``);
``exon``        an exon, protein-region or domain class (``EGFR exon 19 deletion``);
``gene_class``  a gene-level class (``EGFR mutation``, ``ALK fusion``, ``CDKN2A loss of function``);
``gene``        the gene itself.

Classes are reached two ways: the ``MEMBER_OF`` edges loaders stored, and the rule each
stored class carries (:class:`kg.variant_classes.ClassRule`), tested against the variant's
facts; so a variant no source named (``EGFR L747_T751del``) still reaches ``EGFR exon 19
deletion``.  Genomic and c. inputs resolve through the HGVS expressions and ids loaders store
as synonyms (see :func:`queries.notation.genomic_keys`); a position on the other assembly than
the sources' is lifted (:mod:`queries.positions`).  What an input claims that no source names
(a residue, a position, a transcript version, two fused genes) is checked by
:mod:`queries.claims`: an impossible claim is ``unrecognized`` with the reason, an uncheckable
one is accepted and the message says it was not checked.

:func:`resolve_disease` finds a disease by name, synonym, DOID, OncoTree code or name, or NCIt
id, with its equivalents (OncoTree ``MAPS_TO`` DO) and broader terms, so
:meth:`DiseaseMatch.proximity` can say whether evidence is in the same disease, an ancestor, or
another one (a subtype of the patient's diagnosis counts as the same disease: "melanoma" as
given includes skin melanoma).  Neither function logs or keeps what it is given.

A row a reader marks ``not_matched`` (a STAR-Fusion call below the support threshold) comes back
``not_matched`` with the reader's reason; a fusion flagged as a suspected artefact (read-through,
same gene) is matched only when the graph names that very fusion.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import replace

from kg.errors import SchemaError
from kg.records import Node
from kg.schema import Label, RelType
from kg.stores.port import Store
from kg.variant_classes import ClassRule, VariantFacts, exon_rule, parse_class_name, variant_effect
from kg.variants import (
    biomarker_id,
    coding_consequence,
    copy_number_id,
    fusion_id,
    parse_protein_change,
    protein_variant_id,
)
from queries.claims import (
    ClaimCheck,
    check_fusion,
    check_protein_change,
    check_transcript,
    exon_unchecked,
    transcript_candidates,
    transcript_versions,
)
from queries.codon_reading import CodonReading, read_codons
from queries.consequences import CONSEQUENCES, as_itd, consequence_terms
from queries.diseases import DiseaseMatch, disease_suggestions, resolve_disease
from queries.expansion import (
    SPECIFICITIES,
    NodeMatch,
    _summary,
    close_symbols,
    expand,
    facts_of,
)
from queries.genes import approved_symbol, genes_named
from queries.graph_view import GraphView, view_for
from queries.normalized import AMBIGUOUS, NORMALIZED, NOT_MATCHED, UNRECOGNIZED, NormalizedVariant, failed
from queries.notation import Unparsed, coding_variants, genomic_keys, parse_variant
from queries.patient import Alteration
from queries.positions import AssemblyUse, locate
from queries.reference_bases import contradicted_coding_reference
from queries.region_placement import place_in_regions
from queries.respelling import Respelling, fusion_with_change, listed_alterations, paired_changes, respellings

_X_AFTER_CODON = re.compile(r"^(?P<gene>[A-Za-z][A-Za-z0-9-]*)\s+(?:p\.)?(?P<codon>[A-Z]\d+)X$")

__all__ = [
    "SPECIFICITIES",
    "DiseaseMatch",
    "NodeMatch",
    "NormalizedVariant",
    "Unparsed",
    "disease_suggestions",
    "normalize",
    "normalize_text",
    "normalize_texts",
    "parse_variant",
    "resolve_disease",
]

_VARIANT_LABELS = (Label.VARIANT, Label.VARIANT_CLASS, Label.MOLECULAR_PROFILE)
_MAX_SUGGESTIONS = 5


def _noted(result: NormalizedVariant, check: ClaimCheck) -> NormalizedVariant:
    """The answer, saying which of the input's claims nothing in the graph could check."""
    if not check.unchecked or not result.ok:
        return result
    return replace(result, message=f"{result.message}; {check.note()}")


def normalize_text(
    store: Store, text: str, *, assembly: str | None = None, view: GraphView | None = None
) -> NormalizedVariant:
    """:func:`parse_variant` then :func:`normalize`.  Text the notation cannot read may still be the name or a
    synonym a source gives a variant, class or profile (CIViC's ``EML4::ALK e6-e20``, ``EML4::ALK e6::e20``), or
    clinical shorthand for a spelling it reads (``FLT3-ITD``, ``BRAFV600E``, ``ALK-positive``:
    :mod:`queries.respelling`, tried only when the text as written reaches nothing, and said in the answer); a
    protein change given with its c. change (``KRAS G12C (c.34G>T)``) is read both ways and the two must agree.
    Anything else comes back ``unrecognized`` with the reason."""
    view = view or view_for(store)
    found = _as_written(view, text, assembly)
    if found.status != UNRECOGNIZED:
        # MET-amp: not MET::MFAP1 (alias AMP); BRCA2 deleterious mutation: read as a class no source names
        alias = _partner_by_alias(view, text, found)
        if alias is not None or _words_reaching_nothing(found):
            respelled, _ = _first_reading(view, text, respellings(text), assembly)
            if respelled is not None and respelled.in_graph:
                note = f"; not a fusion with {alias}" if alias is not None else ""
                return replace(respelled, message=f"{respelled.message}{note}")
        return _any_residue(view, text, found, assembly)
    if (pair := paired_changes(text)) is not None:
        return _both_levels(view, text, pair, assembly)
    parsed = parse_variant(text, assembly=assembly)
    if isinstance(parsed, Unparsed) and not parsed.vague:  # the notation named what is wrong (5'BCR-5'ABL1)
        return found
    others = respellings(text)
    respelled, tried = _first_reading(view, text, others, assembly)
    if respelled is not None:
        return respelled
    if not others:
        return found
    # What the likeliest spelling says is wrong with it, instead of a reason that says only "not read" (and after
    # any other reason when the notation reads that spelling).
    likeliest = others[0]
    note = f"read as {likeliest.text} ({likeliest.why}): {tried[0].message}"
    if isinstance(parsed, Unparsed):  # BRAF-V600Z: "Z is not an amino acid" (not KIF5B as "KI F5B")
        head = likeliest.text.split(" ", 1)[0]
        named = genes_named(view.genes(head), head)
        if len(named) == 1 and approved_symbol(named[0]).upper() == head.upper():
            return replace(found, message=f"{text} {note}", suggestions=())
        return found
    if not isinstance(parse_variant(likeliest.text, assembly=assembly), Unparsed):
        return replace(found, message=f"{found.message}; {note}")
    return found


def _first_reading(
    view: GraphView, text: str, others: Sequence[Respelling], assembly: str | None
) -> tuple[NormalizedVariant | None, list[NormalizedVariant]]:
    """The first respelling that reaches something, answering for ``text`` and saying how it was read; and what
    each one tried before it gave."""
    tried: list[NormalizedVariant] = []
    for other in others:
        respelled = _as_written(view, other.text, assembly)
        if respelled.ok and (respelled.in_graph or respelled.matches):  # a reading that reaches nothing is no reading
            message = f"{text} read as {other.text} ({other.why}): {respelled.message}"
            return replace(respelled, input=text, message=message), tried
        tried.append(respelled)
    return None, tried


def _words_reaching_nothing(found: NormalizedVariant) -> bool:
    """Whether ``found`` is words read as the name of a class no source names, which reach only the gene."""
    return (
        found.ok and not found.in_graph and found.facts is None and all(m.specificity == "gene" for m in found.matches)
    )


def _partner_by_alias(view: GraphView, text: str, found: NormalizedVariant) -> str | None:
    """``"MFAP1 (AMP)"`` when ``text`` read as a fusion that no source names, one of whose genes was not written
    as its approved symbol (``MET-amp``, ``KRAS-mut``, ``AR-V7``, ``EGFR-vIII``): more likely a word for the
    alteration."""
    facts = found.facts
    if not found.ok or found.in_graph or facts is None or not facts.fusion or len(found.genes) != 2:
        return None
    written = {w.upper() for w in re.split(r"::|--|-|/|\s+", text.strip()) if w}
    for gene in found.genes:
        if approved_symbol(gene).upper() not in written:
            alias = next((w for w in written if w in {str(s).upper() for s in gene.synonyms}), "")
            return f"{approved_symbol(gene)} ({alias})" if alias else approved_symbol(gene)
    return None


def normalize_texts(
    store: Store, text: str, *, assembly: str | None = None, view: GraphView | None = None
) -> list[NormalizedVariant]:
    """:func:`normalize_text`, or the two alterations a fusion named with a mutation in it holds
    (``BCR::ABL1 T315I``: the fusion and ``ABL1 T315I``, which evidence names together), each answering for
    ``text``.  The mutation is placed on the fused gene that a source names it in (else on the 3' partner, where
    the kinase of the fusions written this way lies, then the 5' one): whichever reads."""
    view = view or view_for(store)
    found = normalize_text(store, text, assembly=assembly, view=view)
    if found.status == UNRECOGNIZED and (listed := listed_alterations(text)) is not None:
        return _listed(store, view, text, listed, assembly) or [found]
    split = fusion_with_change(text) if found.status == UNRECOGNIZED else None
    if split is None:
        return [found]
    fusion_text, change_text = split
    fusion = _as_written(view, fusion_text, assembly)
    if not fusion.ok or len(fusion.genes) != 2:
        return [found]
    placed = [_as_written(view, f"{approved_symbol(g)} {change_text}", assembly) for g in reversed(fusion.genes)]
    read = [p for p in placed if p.ok]
    change = next((p for p in read if p.in_graph), read[0] if read else None)
    if change is None:
        return [found]
    said = f"{text} holds two alterations, {fusion.variant_name} and {change.variant_name}"
    return [replace(n, input=text, message=f"{said}: {n.message}") for n in (fusion, change)]


def _listed(
    store: Store, view: GraphView, text: str, parts: list[str], assembly: str | None
) -> list[NormalizedVariant]:
    """Each alteration a text lists (``KRAS G12C, TP53 R273H``), answering for ``text``; none when no part reads
    (then the text's own failure says why).  A part that does not read stays in the answer with its reason."""
    read = [normalize_text(store, part, assembly=assembly, view=view) for part in parts]
    if not any(r.ok for r in read):
        return []
    said = f"{text} lists {len(parts)} alterations"
    return [replace(r, input=text, message=f"{said}; {part}: {r.message}") for part, r in zip(parts, read, strict=True)]


def _as_written(view: GraphView, text: str, assembly: str | None) -> NormalizedVariant:
    parsed = parse_variant(text, assembly=assembly)
    if isinstance(parsed, Unparsed):
        named = view.find_any([text], _VARIANT_LABELS) if text.strip() else []
        if named:
            return _from_nodes(view, Alteration(text), named, text.strip())
        return NormalizedVariant(parsed.text, UNRECOGNIZED, parsed.message)
    return normalize(view.store, parsed, view=view)


def _both_levels(view: GraphView, text: str, pair: tuple[str, str], assembly: str | None) -> NormalizedVariant:
    """``KRAS G12C (c.34G>T)``: each change read on its own; the answer when they name one variant, or the one
    that can be read (the other's problem said), and unrecognized when they name two."""
    first, second = (_as_written(view, part, assembly) for part in pair)
    if first.ok and second.ok and not (_protein_level(first) and _protein_level(second)):
        # BRCA2 c.5946delT (p.Ser1982fs): the c. change is read as a frameshift, not translated to a residue, so the
        # two cannot be compared; the protein change is what evidence names.
        read, other = (first, second) if _protein_level(first) else (second, first)
        return replace(read, input=text, message=f"{read.message}; {other.input} is not translated here, so it "
                       f"was not checked against {read.input}")  # fmt: skip
    if first.ok and second.ok and first.variant_id != second.variant_id:
        return NormalizedVariant(
            text,
            UNRECOGNIZED,
            f"{pair[0]} and {pair[1]} name different variants ({first.variant_name} and {second.variant_name}): "
            "give the one the report means",
            genes=first.genes,
        )
    if first.ok and second.ok:
        return replace(first, input=text, message=f"{first.message}; {pair[1]} names the same variant")
    if first.ok or second.ok:
        read, other = (first, second) if first.ok else (second, first)
        return replace(read, input=text, message=f"{read.message}; {other.input} was not read: {other.message}")
    return replace(first, input=text)


def _protein_level(variant: NormalizedVariant) -> bool:
    return variant.facts is not None and bool(variant.facts.protein_change)


def _any_residue(view: GraphView, text: str, found: NormalizedVariant, assembly: str | None) -> NormalizedVariant:
    """``KRAS G12X``, ``EGFR G719X``: an X after a codon, read as a stop (HGVS's old spelling, ``TP53 R213X``) unless
    that stop is not in this graph, the codon is, and the gene is not one whose loss matters (a stop in TP53 or BRCA2
    is what "X" most likely means there): then as any residue at the codon, the way reports mean it."""
    if not found.ok or found.in_graph or (codon := _X_AFTER_CODON.match(" ".join(text.split()))) is None:
        return found
    if any(view.acts_by_loss(gene.id) for gene in found.genes):
        return found
    written = f"{codon.group('gene')} {codon.group('codon')}"
    read = _as_written(view, written, assembly)
    if not (read.ok and read.in_graph):
        return found
    why = f"X read as any residue at {codon.group('codon')}: no stop there is in this graph, the codon is"
    return replace(read, input=text, message=f"{text} read as {written} ({why}): {read.message}")


def normalize(store: Store, alteration: Alteration, *, view: GraphView | None = None) -> NormalizedVariant:
    """The graph nodes ``alteration`` reaches; never raises for what the alteration says."""
    view = view or view_for(store)
    if alteration.not_matched:
        return failed(alteration, NOT_MATCHED, alteration.not_matched)
    found = _normalize(view, alteration)
    if alteration.fusion_flag and found.ok:
        if not found.in_graph:  # a suspected artefact is matched only when a source names that very fusion
            return failed(alteration, NOT_MATCHED, f"{found.variant_name}: suspected {alteration.fusion_flag}; "
                           "not matched, as no source in this graph names this fusion")  # fmt: skip
        found = replace(found, message=f"{found.message} (flagged: {alteration.fusion_flag}; a source names it)")
    return replace(found, germline=True) if alteration.germline else found


def _normalize(view: GraphView, alteration: Alteration) -> NormalizedVariant:
    if alteration.biomarker:
        return _biomarker(view, alteration)
    itd = as_itd(alteration)
    if itd is not None:
        duplication = _by_gene(view, itd)
        if duplication.ok:
            why = "an in-frame insertion in the FLT3 juxtamembrane region, read as an internal tandem duplication"
            return replace(duplication, message=f"{alteration.text}: {why}; {duplication.message}")
    # A file row may carry several forms (gene + protein change, c. change, position, rs id):
    # the most specific is tried first, the next only if it is not recognised.
    forms = []
    if alteration.gene and (
        alteration.protein_change
        or alteration.copy_number
        or alteration.fusion_partner
        or alteration.exon is not None
        or alteration.consequence in ("gene_fusion", "ITD")
    ):
        forms.append(_by_gene)
    if alteration.coding_change:
        forms.append(_coding)
    if alteration.position is not None and alteration.chromosome:
        forms.append(_genomic)
    if alteration.rsid:
        forms.append(_rsid)
    if alteration.gene and not forms:
        forms.append(_by_gene)
    if alteration.gene and (alteration.coding_change or alteration.consequence):
        forms.append(_by_consequence)  # last: what the c. change or the consequence says by itself
    if not forms:
        found = view.find_any([alteration.text], _VARIANT_LABELS)
        if found:
            return _from_nodes(view, alteration, found, alteration.text)
        return failed(alteration, UNRECOGNIZED, f"cannot read {alteration.text!r} as a variant")
    first = forms[0](view, alteration)
    for form in forms[1:]:
        if first.status != UNRECOGNIZED:
            break
        other = form(view, alteration)
        if other.status != UNRECOGNIZED:
            return other
    return first


def _by_consequence(view: GraphView, alteration: Alteration) -> NormalizedVariant:
    """A gene and what its c. change or consequence implies (a frameshift, a splice site…) when no source names it."""
    gene, problem = _gene(view, alteration, str(alteration.gene))
    if gene is None:
        return problem  # type: ignore[return-value]
    symbol = approved_symbol(gene)
    reading = _codons_read(view, alteration, gene, symbol) if alteration.coding_change else None
    if reading is not None and reading.exact:
        read = _protein(view, replace(alteration, protein_change=reading.change.text), gene, symbol)
        return replace(read, message=f"{read.message} (read through {reading.how})") if read.ok else read
    implied = coding_consequence(alteration.coding_change) if alteration.coding_change else None
    terms = tuple(dict.fromkeys((*([implied] if implied else []), *consequence_terms(alteration.consequence))))
    facts = VariantFacts(symbol, consequences=terms)
    # A c. change says what it does by itself; a bare consequence only when it is a loss (Splice_Site,
    # Frame_Shift_Del): "Missense_Mutation" without its protein change cannot be told apart from any other.
    if reading is None and not (implied and implied != "coding_sequence_variant") and not variant_effect(facts).loss:
        what = f"{symbol} {alteration.consequence}" if alteration.consequence else alteration.text
        return failed(alteration, UNRECOGNIZED, f"{what} without a protein change cannot be classed; give the "
                       f"protein change (e.g. {symbol} p.…)", genes=(gene,))  # fmt: skip
    # Read through codons, the change carries the codons it touches: what exon, region and codon classes ask.
    matches = expand(view, [], [gene], facts=facts, change=reading.change if reading is not None else None)
    shown = f"{symbol} {alteration.coding_change or alteration.consequence}"
    reached = _summary(matches)
    read_as = reading.how if reading is not None else " / ".join(terms)
    message = f"{shown} is not in this graph; read as {read_as}" + (
        f": reached its classes by rule: {reached}" if reached else f", which puts it in no class of {symbol}"
    )
    return NormalizedVariant(alteration.text, NORMALIZED, message, None, shown, False, (gene,), matches,
                             facts=facts, origin=alteration.origin, sample=alteration.sample)  # fmt: skip


def _gene_of_transcript(view: GraphView, transcript: str) -> Node | None:
    """The gene whose MANE transcript ``transcript`` is (any version), from an index made once per build."""
    memo = view.derived("genes by MANE transcript")
    index: dict[str, str] | None = memo.get("all")
    if index is None:
        index = {}
        for gene in view.store.nodes_with_label(Label.GENE):
            for accession in transcript_versions(gene):
                index.setdefault(accession, gene.id)
        memo["all"] = index
    gene_id = index.get(transcript.split(".")[0])
    return view.node(gene_id) if gene_id else None


def _codons_read(view: GraphView, alteration: Alteration, gene: Node, symbol: str) -> CodonReading | None:
    """:func:`read_codons` in the numbering of the gene's MANE Select transcript, the one the graph's residues use.

    A c. change on another transcript (MANE Plus Clinical BRAF NM_001374258 numbers V600 as 640) is not read.
    """
    select = {str(gene.props.get(key, "")).split(".")[0] for key in ("mane_select_refseq", "mane_select_ensembl")}
    given = alteration.transcript
    if given and given.split(".")[0] not in select - {""}:
        return None
    transcripts = transcript_candidates(given, gene)
    return read_codons(view, gene.id, symbol, transcripts, str(alteration.coding_change), transcript_given=bool(given))


def _rsid(view: GraphView, alteration: Alteration) -> NormalizedVariant:
    return _by_keys(view, alteration, [str(alteration.rsid)], "dbSNP id")


def _by_gene(view: GraphView, alteration: Alteration) -> NormalizedVariant:
    gene, problem = _gene(view, alteration, str(alteration.gene))
    if gene is None:
        return problem  # type: ignore[return-value]
    symbol = approved_symbol(gene)
    if alteration.fusion_partner or alteration.consequence == "gene_fusion":
        return _fusion(view, alteration, gene)
    if alteration.copy_number:
        return _copy_number(view, alteration, gene, symbol)
    if alteration.protein_change:
        return _protein(view, alteration, gene, symbol)
    if alteration.exon is not None:
        return _exon(view, alteration, gene, symbol)
    return _class_text(view, alteration, gene, symbol)


# ----------------------------------------------------------------------------- genes


def _gene(view: GraphView, alteration: Alteration, text: str) -> tuple[Node | None, NormalizedVariant | None]:
    found = genes_named(view.genes(text.strip()), text)
    if len(found) == 1:
        return found[0], None
    if found:
        names = [f"{approved_symbol(g)} ({g.id})" for g in found]
        return None, failed(
            alteration, AMBIGUOUS, f"{text} may be any of {', '.join(names)}", [approved_symbol(g) for g in found]
        )
    # Close symbols help someone typing; a file row is reported without the search (annotate's shared forms too).
    suggestions = close_symbols(view, text) if alteration.typed else []
    if alteration.typed and (family := _family(view, text)):  # "NTRK fusion": NTRK1, NTRK2 and NTRK3
        rest = _rest(alteration.text) if " " in alteration.text.strip() else ""
        members = [f"{g} {rest}".strip() for g in family]
        return None, failed(alteration, UNRECOGNIZED, f"{text} names a gene family ({', '.join(family)}), not a gene: "
                            "give the gene, each as its own input", members)  # fmt: skip
    return None, failed(alteration, UNRECOGNIZED, f"unknown gene {text}", suggestions)


def _family(view: GraphView, text: str) -> list[str]:
    """The genes a family stem names (``NTRK`` → NTRK1, NTRK2, NTRK3): its numbered symbols this graph holds."""
    stem = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{2,8}", stem):
        return []
    found = [
        f"{stem}{n}" for n in range(1, 10) if any(approved_symbol(g) == f"{stem}{n}" for g in view.genes(f"{stem}{n}"))
    ]
    return found if len(found) >= 2 else []


def _genes_of(view: GraphView, node: Node) -> list[Node]:
    found = [g for g in view.store.neighbours(node.id, RelType.IN_GENE) if g.label == Label.GENE]
    return sorted(found, key=lambda g: g.id)


# A stored variant named for one zygosity (CIViC's "DPYD*2A HOMOZYGOSITY", whose HGVS is c.1905+1G>A): an input
# reaching it through HGVS or a position says nothing of zygosity, and the answer says so.
_ZYGOSITY = re.compile(r"\b(homozyg|heterozyg|hemizyg)(?:ous|osity|ote)\b", re.IGNORECASE)


def _from_nodes(
    view: GraphView,
    alteration: Alteration,
    nodes: Sequence[Node],
    how: str,
    *,
    assembly_use: AssemblyUse | None = None,
    note: str = "",
) -> NormalizedVariant:
    """An input that names stored node(s) directly (rs id, HGVS, coordinates, a synonym)."""
    if len(nodes) > 1:
        names = ", ".join(f"{n.name} ({n.id})" for n in nodes)
        return failed(
            alteration,
            AMBIGUOUS,
            f"{how} names {len(nodes)} variants in this graph: {names}",
            [n.name for n in nodes],
            assembly_use=assembly_use,
        )
    node = nodes[0]
    genes = _genes_of(view, node)
    facts = facts_of(node, approved_symbol(genes[0]) if genes else "") if node.label == Label.VARIANT else None
    rule = _rule_of(node)
    matches = expand(view, [node], genes, facts=facts, rule=rule)
    message = f"{how} is {node.name}" + (f" ({note})" if note else "")
    if (zygosity := _ZYGOSITY.search(node.name)) and not _ZYGOSITY.search(alteration.text):
        message += (
            f"; the source's variant is the {zygosity.group(1).lower()}ous state, which the input does not state: "
            "for dosing give the diplotype (e.g. DPYD *1/*2A)"
        )
    return NormalizedVariant(
        alteration.text,
        NORMALIZED,
        message,
        node.id,
        node.name,
        True,
        tuple(genes),
        matches,
        assembly_use=assembly_use,
        facts=facts,
        origin=alteration.origin,
        sample=alteration.sample,
    )


def _rule_of(node: Node) -> ClassRule | None:
    if node.label != Label.VARIANT_CLASS:
        return None
    try:
        return ClassRule.from_props(node.props)
    except SchemaError:
        return None


# ----------------------------------------------------------------------------- kinds of input


def _by_keys(view: GraphView, alteration: Alteration, keys: Sequence[str], kind: str) -> NormalizedVariant:
    found = view.find_any(keys, (Label.VARIANT,))
    if not found:
        return failed(alteration, UNRECOGNIZED, f"{kind} {keys[0]} is not in this graph")
    return _from_nodes(view, alteration, found, keys[0])


def _biomarker(view: GraphView, alteration: Alteration) -> NormalizedVariant:
    name = str(alteration.biomarker)
    node_id = biomarker_id(name)
    nodes = [n for n in [view.node(node_id)] if n is not None] or view.find_any([name], (Label.VARIANT,))
    value = alteration.biomarker_value
    shown = f"{name} ({value:g} mut/Mb)" if value is not None else name
    if not nodes:
        message = f"{shown}: no source in this graph names this biomarker"
        return NormalizedVariant(
            alteration.text,
            NORMALIZED,
            message,
            node_id,
            name,
            False,
            biomarker_value=value,
            origin=alteration.origin,
            sample=alteration.sample,
        )
    matches = expand(view, nodes[:1], [])
    return NormalizedVariant(
        alteration.text,
        NORMALIZED,
        f"{alteration.text} is {shown}",
        nodes[0].id,
        nodes[0].name,
        True,
        matches=matches,
        biomarker_value=value,
        origin=alteration.origin,
        sample=alteration.sample,
    )


def _genomic(view: GraphView, alteration: Alteration) -> NormalizedVariant:
    if not genomic_keys(alteration, "GRCh38"):
        return failed(alteration, UNRECOGNIZED, f"chromosome {alteration.chromosome!r} is not one of 1-22, X, Y, MT")
    located = locate(view, alteration)
    if not located.nodes and not located.ambiguous and (placed := _placed(view, alteration)) is not None:
        return placed
    if not located.nodes:
        status = AMBIGUOUS if located.ambiguous else UNRECOGNIZED
        hint = "" if located.ambiguous else "; give the gene and protein change instead, e.g. BRAF V600E"
        return failed(alteration, status, located.reason + hint, assembly_use=located.use)
    use = located.use
    how = f"{alteration.text} ({use.describe()})" if use is not None else alteration.text
    return _from_nodes(view, alteration, located.nodes, how, assembly_use=use)


def _placed(view: GraphView, alteration: Alteration) -> NormalizedVariant | None:
    """An in-frame change at a position no stored variant has, inside a class a source gives with coordinates."""
    placement = place_in_regions(view, alteration)
    if placement is None:
        return None
    gene, _ = _gene(view, alteration, placement.gene)
    if gene is None:
        return None
    symbol = approved_symbol(gene)
    facts = VariantFacts(symbol, consequences=(placement.consequence,), position=placement.position)
    matches = expand(view, [], [gene], facts=facts)
    reached = _summary(matches)
    if not reached:
        return None
    kind = placement.consequence.replace("inframe_", "in-frame ")
    shown = f"{symbol} {kind} at {placement.use.given} {alteration.chromosome}:{alteration.position}"
    message = (
        f"{alteration.text} ({placement.use.describe()}) is not in this graph; an {kind} inside "
        f"{', '.join(placement.classes)} (the extent its source gives): reached its classes by rule: {reached}"
    )
    return NormalizedVariant(alteration.text, NORMALIZED, message, None, shown, False, (gene,), matches,
                             assembly_use=placement.use, facts=facts, origin=alteration.origin,
                             sample=alteration.sample)  # fmt: skip


def _coding(view: GraphView, alteration: Alteration) -> NormalizedVariant:
    coding = str(alteration.coding_change)
    gene: Node | None = None
    if alteration.gene:
        gene, problem = _gene(view, alteration, alteration.gene)
        if gene is None:
            return problem  # type: ignore[return-value]
    check = ClaimCheck()
    if gene is not None and alteration.transcript:
        check = check_transcript(gene, approved_symbol(gene), alteration.transcript)
        if check.problem:
            return failed(alteration, UNRECOGNIZED, check.problem, genes=(gene,))
    transcripts = transcript_candidates(alteration.transcript, gene)
    keys = [f"{tx}:{form}" for tx in transcripts for form in coding_variants(coding)]
    if gene is not None:
        keys = [f"{approved_symbol(gene)} {form}" for form in coding_variants(coding)] + keys
    found = view.find_any(keys, (Label.VARIANT,))
    if gene is not None:  # a transcript shared by two genes' variants is not what a gene-named input means
        found = [n for n in found if not n.props.get("gene") or n.props.get("gene") == approved_symbol(gene)] or found
    if found:
        owners = _genes_of(view, found[0]) if gene is None else [gene]
        if gene is None and alteration.transcript and len(owners) == 1:  # the transcript names the gene
            check = check_transcript(owners[0], approved_symbol(owners[0]), alteration.transcript)
            if check.problem:
                return failed(alteration, UNRECOGNIZED, check.problem, genes=tuple(owners))
        return _noted(_from_nodes(view, alteration, found, alteration.text), check)
    symbol = approved_symbol(gene) if gene is not None else None
    given = bool(alteration.transcript)
    if known := contradicted_coding_reference(view, symbol, transcripts, coding, transcript_given=given):
        return failed(alteration, UNRECOGNIZED, known, genes=(gene,) if gene is not None else ())
    if gene is None and alteration.transcript and (owner := _gene_of_transcript(view, alteration.transcript)):
        read = _by_consequence(view, replace(alteration, gene=approved_symbol(owner)))
        if read.ok:  # NM_004333.4:c.1799_1800delinsAA: the transcript names BRAF, whose codons read it
            return read
    on = ", ".join(dict.fromkeys(t.split(".")[0] for t in transcripts)) or "no transcript"
    hint = f"; give the protein change instead (e.g. {approved_symbol(gene)} p.…)" if gene is not None else ""
    return failed(
        alteration,
        UNRECOGNIZED,
        f"{alteration.text} is not in this graph (looked up on {on}){hint}",
        genes=(gene,) if gene is not None else (),
    )


def _fusion(view: GraphView, alteration: Alteration, five: Node) -> NormalizedVariant:
    s5 = approved_symbol(five)
    if not alteration.fusion_partner:
        return _named_class(view, alteration, five, ClassRule(s5, "fusion", "fusion"), f"{s5} fusion")
    three, problem = _gene(view, alteration, alteration.fusion_partner)
    partner_note = ""
    if three is None and problem is not None and problem.status == AMBIGUOUS:
        three, partner_note = _partner_fused_to(view, five, s5, str(alteration.fusion_partner))
    if three is None:
        return problem  # type: ignore[return-value]
    s3 = approved_symbol(three)
    node_id = fusion_id(s5, s3)
    node = view.in_gene(five.id, node_id) or view.in_gene(three.id, node_id)
    check = check_fusion(s5, s3, node is not None)
    if check.problem:
        return failed(alteration, UNRECOGNIZED, check.problem, genes=(five,))
    facts = VariantFacts(s5, fusion=(s5, s3))
    starts = [node] if node is not None else []
    matches = expand(view, starts, [five, three], facts=facts)
    message = f"{alteration.text} is {s5}::{s3}{partner_note}"
    if node is None:
        message += f"; not in this graph as such: reached {_summary(matches) or 'no class'} by rule"
    return NormalizedVariant(
        alteration.text,
        NORMALIZED,
        message,
        node_id,
        f"{s5}::{s3}",
        node is not None,
        (five, three),
        matches,
        facts=facts,
        origin=alteration.origin,
        sample=alteration.sample,
    )


def _partner_fused_to(view: GraphView, five: Node, s5: str, text: str) -> tuple[Node | None, str]:
    """The one gene ``text`` may name (an alias of several: ABL is ABL1 and MTTP) that the graph names fused to
    ``five`` (BCR::ABL1), and the note that says so; None when not exactly one is."""
    candidates = genes_named(view.genes(text.strip()), text)
    fused = [g for g in candidates if view.in_gene(five.id, fusion_id(s5, approved_symbol(g))) is not None]
    if len(fused) != 1:
        return None, ""
    others = ", ".join(approved_symbol(g) for g in candidates if g is not fused[0])
    symbol = approved_symbol(fused[0])
    return fused[0], f" ({text} may also be {others}; {symbol} is the gene fused to {s5} in this graph)"


def _copy_number(view: GraphView, alteration: Alteration, gene: Node, symbol: str) -> NormalizedVariant:
    event = str(alteration.copy_number)
    node_id = copy_number_id(symbol, event)
    node = view.in_gene(gene.id, node_id)
    facts = VariantFacts(symbol, copy_number=event)
    same_event = [e.node.id for e in view.classes_of_gene(gene.id)
                  if e.rule.class_type == "copy_number" and e.rule.direction == event]  # fmt: skip
    matches = expand(view, [node] if node else [], [gene], facts=facts, exact=same_event)
    message = f"{alteration.text} is {symbol} {event}"
    return NormalizedVariant(
        alteration.text,
        NORMALIZED,
        message,
        node_id,
        f"{symbol} {event}",
        node is not None or bool(same_event),
        (gene,),
        matches,
        facts=facts,
        origin=alteration.origin,
        sample=alteration.sample,
    )


def _protein(view: GraphView, alteration: Alteration, gene: Node, symbol: str) -> NormalizedVariant:
    try:
        change = parse_protein_change(str(alteration.protein_change))
    except SchemaError as exc:
        return failed(alteration, UNRECOGNIZED, str(exc), genes=(gene,))
    if change.kind == "position":  # BRAF V600: the codon class
        check = check_protein_change(view, gene, symbol, change)
        if check.problem:
            return failed(alteration, UNRECOGNIZED, check.problem, genes=(gene,))
        rule = parse_class_name(symbol, change.text) or ClassRule(
            symbol, "codon", change.text, positions=(change.start,)
        )
        return _noted(_named_class(view, alteration, gene, rule, f"{symbol} {change.text}"), check)
    node_id = protein_variant_id(symbol, change)
    # Every stored variant of a gene is IN_GENE of it: look in the gene's (memoised) members, no store call.
    node = view.in_gene(gene.id, node_id)
    note = ""
    if node is None:  # another numbering or spelling a source stored as a synonym (BRAF A336V is BRAF A728V)
        known = view.in_gene(gene.id, f"{symbol} {change.text}")
        if known is not None and known.label == Label.VARIANT:
            node, note = known, f"{symbol} {change.text} is a synonym of it in this graph"
    # A change no source names is checked against the residues and extent the graph knows.
    check = check_protein_change(view, gene, symbol, change) if node is None else ClaimCheck()
    if check.problem:
        return failed(alteration, UNRECOGNIZED, check.problem, genes=(gene,))
    implied = CONSEQUENCES.get(change.kind, "")
    consequences = _with_implied(consequence_terms(alteration.consequence), implied)
    facts = VariantFacts(symbol, protein_change=change.text, consequences=consequences)
    if node is not None:
        stored = facts_of(node, symbol)
        merged = tuple(dict.fromkeys((*stored.consequences, *consequences)))
        facts = stored if merged == stored.consequences else replace(stored, consequences=merged)
    matches = expand(view, [node] if node else [], [gene], facts=facts, change=change)
    name = node.name if node is not None else f"{symbol} {change.text}"
    if node is not None:
        message = f"{alteration.text} is {name}" + (f" ({note})" if note else "")
    elif change.kind == "synonymous":
        message = f"{name} is synonymous (the amino acid does not change): it matches no variant or class"
    else:
        reached = _summary(matches)
        message = (
            f"{name} is not in this graph; reached its classes by rule: {reached}"
            if reached
            else f"{name} is not in this graph, and no class of {symbol} it belongs to is"
        )
    if check.unchecked:  # what _noted says, said at once (a dataclasses.replace costs as much as the rest)
        message = f"{message}; {check.note()}"
    return NormalizedVariant(
        alteration.text,
        NORMALIZED,
        message,
        node.id if node else node_id,
        name,
        node is not None,
        (gene,),
        matches,
        facts=facts,
        origin=alteration.origin,
        sample=alteration.sample,
    )


def _with_implied(terms: tuple[str, ...], implied: str) -> tuple[str, ...]:
    """The row's consequence terms, then the one its protein change implies, each once (a MAF row gives one term)."""
    if len(terms) == 1 and terms[0] and (not implied or terms[0] == implied):
        return terms
    return tuple(c for c in dict.fromkeys((*terms, implied)) if c)


_EXON_EDITS = {"inframe_deletion": "deletion", "inframe_insertion": "insertion", "exon_loss_variant": "skipping",
               "frameshift_variant": "frameshift"}  # fmt: skip


def _exon(view: GraphView, alteration: Alteration, gene: Node, symbol: str) -> NormalizedVariant:
    edit = _EXON_EDITS.get(alteration.consequence or "", "mutation")
    exon = int(alteration.exon or 0)
    rule = exon_rule(symbol, exon, edit)
    result = _named_class(view, alteration, gene, rule, rule.name)
    if result.in_graph:  # a source names this exon class
        return result
    if alteration.consequence is None and _BARE_EXON.match(_rest(alteration.text)):
        # METex14: reports name an exon-skipping alteration by its exon alone (not so an exon with several kinds
        # of change, EGFR exon 20's insertions and T790M)
        classes = view.classes_of_gene(gene.id)
        only = [e.rule for e in classes if e.rule.class_type == "exon" and e.rule.exons == (exon,)]
        if len(only) == 1 and only[0].edit == "skipping":
            named = _named_class(view, alteration, gene, only[0], only[0].name)
            note = f"exon {exon} named without its change, read as {only[0].name}, the one class of it in this graph"
            return replace(named, message=f"{named.message} ({note})")
    check = exon_unchecked(symbol, exon)
    if check.problem:
        return failed(alteration, UNRECOGNIZED, check.problem, genes=(gene,))
    return _noted(result, check)


# An exon named without its change, or with only a word that it is changed ("MET exon 14 mutation"): the reports'
# name of exon skipping where that is the exon's one class.
_BARE_EXON = re.compile(r"^(?:exon|ex)\s*\d+(?:\s+(?:mutations?|alterations?))?$", re.IGNORECASE)


def _named_class(
    view: GraphView,
    alteration: Alteration,
    gene: Node,
    rule: ClassRule | None,
    name: str,
    extra_keys: Sequence[str] = (),
) -> NormalizedVariant:
    """An input that names a class: its node (if stored) and the stored classes that subsume it."""
    symbol = approved_symbol(gene)
    keys = [rule.id] if rule is not None else []
    keys += [name, *extra_keys]
    found = [n for n in view.find_any(keys, (Label.VARIANT_CLASS, Label.VARIANT)) if _in_gene(n, symbol)]
    matches = expand(view, found, [gene], rule=rule)
    if not found and rule is None:
        suggestions = difflib.get_close_matches(
            alteration.text, [e.node.name for e in view.classes_of_gene(gene.id)], n=_MAX_SUGGESTIONS, cutoff=0.3
        )
        return failed(
            alteration,
            UNRECOGNIZED,
            f"{symbol} has no variant or class called {_rest(alteration.text)!r} in this graph",
            suggestions,
            genes=(gene,),
        )
    primary = found[0] if found else None
    if primary is not None:
        message = f"{alteration.text} is {primary.name}"
    else:
        broader = _summary(matches)
        message = (
            f"{name} is not in this graph; broader classes: {broader}"
            if broader
            else f"{name} is not in this graph, nor any broader class of {symbol}"
        )
    facts = VariantFacts(symbol, fusion=(symbol, "")) if rule is not None and rule.class_type == "fusion" else None
    return NormalizedVariant(
        alteration.text,
        NORMALIZED,
        message,
        primary.id if primary else (rule.id if rule else None),
        primary.name if primary else name,
        primary is not None,
        (gene,),
        matches,
        facts=facts,
        origin=alteration.origin,
        sample=alteration.sample,
    )


def _in_gene(node: Node, symbol: str) -> bool:
    gene = node.props.get("gene") or node.props.get("five_prime_gene")
    return gene is None or gene == symbol or node.props.get("three_prime_gene") == symbol


def _rest(text: str) -> str:
    return text.strip().partition(" ")[2] or text


def _class_text(view: GraphView, alteration: Alteration, gene: Node, symbol: str) -> NormalizedVariant:
    rest = _rest(alteration.text)
    if alteration.consequence == "ITD":
        keys = [f"{symbol} ITD", f"{symbol} internal tandem duplication", f"{symbol} internal tandem duplication itd"]
        return _named_class(view, alteration, gene, parse_class_name(symbol, "ITD"), keys[0], keys[1:])
    rule = parse_class_name(symbol, rest)
    return _named_class(view, alteration, gene, rule, rule.name if rule else f"{symbol} {rest}")
