"""Typed variant text → :class:`~queries.patient.Alteration`: every notation a user types.

:func:`parse_variant` reads one piece of text without looking at the graph and returns an
:class:`Alteration` holding what the text says, or an :class:`Unparsed` with the reason and,
where one helps, a suggestion.  It never raises for bad text.  Resolving the gene and the
alteration to graph nodes is :mod:`queries.normalize`'s job.

>>> parse_variant("BRAF p.Val600Glu").protein_change
'V600E'
>>> a = parse_variant("EML4-ALK"); (a.gene, a.fusion_partner)
('EML4', 'ALK')
>>> parse_variant("7-140753336-A-T").position
140753336
>>> parse_variant("BRAF V600Z").reason.split(" (")[0]
'Z is not an amino acid'

Notations (case-insensitive where the notation allows it):

- protein changes after a gene: ``BRAF V600E``, ``BRAF p.V600E``, ``BRAF p.Val600Glu``,
  ``EGFR E746_A750del``, ``ERBB2 A775_G776insYVMA``, ``BRCA2 p.S1982fs``, ``TP53 R248*``;
- c. HGVS with a transcript (``NM_004333.4:c.1799T>A``, ``NM_004333.4(BRAF):c.1799T>A``,
  ``ENST00000288602.6:c.1799T>A``) or after a gene (``BRAF c.1799T>A``, ``BRCA2 c.5946delT``);
- genomic positions: ``7-140753336-A-T``, ``chr7:140753336:A:T``, ``chr7:g.140753336A>T``,
  ``NC_000007.14:g.140753336A>T`` (the accession names the assembly); ``GRCh38:`` or
  ``hg19:`` in front declares the assembly;
- fusions ``EML4::ALK``, ``EML4-ALK``, ``EML4--ALK`` (STAR-Fusion), ``EML4-ALK fusion``, with the ends
  marked (``5'BCR-3'ABL1``, ``5' BCR::3' ABL1``, ``BCR(5')-ABL1(3')``, ``3'ABL1-5'BCR``), and a
  fusion of one gene with any partner: ``ALK fusion``, ``ROS1 rearrangement``;
- copy number: ``ERBB2 amplification`` (``amp``, ``amplified``), ``CDKN2A deletion``
  (``homozygous deletion``, ``deep deletion``), ``loss``, ``gain``;
- exon classes: ``EGFR exon 19 deletion`` (``ex19del``, ``del19``, ``19del``), ``EGFR exon 20 insertion``,
  ``MET exon 14 skipping``, ``KIT exon 11 mutation``;
- other classes the graph names after a gene: ``FLT3 ITD``, ``KRAS G12/G13``, ``BRAF V600``,
  ``BRCA2 loss of function`` (kept as text; :mod:`queries.normalize` looks them up);
- dbSNP ids ``rs113488022``; biomarkers ``MSI-H`` (``MSI-high``, ``MSS``), ``TMB-high``,
  ``TMB 12 mut/Mb`` (a value: 10 mut/Mb or more is ``TMB-high``), ``dMMR``, ``HRD``,
  ``WGD``, COSMIC signatures ``SBS10b``.

Star-allele diplotypes (``CYP2C19 *2/*2``) are pharmacogenomic input: they come back as
:class:`Unparsed` naming :func:`queries.pgx.lookup_diplotypes`; :func:`is_diplotype` tells them apart.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass, replace

from kg.errors import SchemaError
from kg.variants import AMINO_ACIDS, THREE_TO_ONE, coordinate_key, copy_number_event, parse_protein_change, plain_delins
from queries.notation_hints import copy_count, several_inputs, unreadable
from queries.patient import Alteration

# At or above this many mutations per megabase a tumour is TMB-high (the FDA's pembrolizumab
# threshold, which MOAlmanac and OncoKB use too).
TMB_HIGH_THRESHOLD = 10.0

ASSEMBLY_ALIASES = {"grch37": "GRCh37", "hg19": "GRCh37", "b37": "GRCh37", "grch38": "GRCh38", "hg38": "GRCh38"}
# RefSeq accessions of the chromosomes of each assembly: a g. HGVS key is written on them.
_GRCH37_VERSIONS = (10, 11, 11, 11, 9, 11, 13, 10, 11, 10, 9, 11, 10, 8, 9, 9, 10, 9, 9, 10, 8, 10, 10, 9)
_GRCH38_VERSIONS = (11, 12, 12, 12, 10, 12, 14, 11, 12, 11, 10, 12, 11, 9, 10, 10, 11, 10, 10, 11, 9, 11, 11, 10)
_CHROMOSOMES = (*(str(n) for n in range(1, 23)), "X", "Y")
CHROMOSOME_ACCESSIONS: dict[str, dict[str, str]] = {
    "GRCh37": {c: f"NC_{i + 1:06d}.{v}" for i, (c, v) in enumerate(zip(_CHROMOSOMES, _GRCH37_VERSIONS, strict=True))}
    | {"MT": "NC_012920.1"},
    "GRCh38": {c: f"NC_{i + 1:06d}.{v}" for i, (c, v) in enumerate(zip(_CHROMOSOMES, _GRCH38_VERSIONS, strict=True))}
    | {"MT": "NC_012920.1"},
}
ACCESSION_CHROMOSOMES = {
    accession: (assembly, chromosome)
    for assembly, table in CHROMOSOME_ACCESSIONS.items()
    for chromosome, accession in table.items()
    if chromosome != "MT"
}

# Biomarkers without a gene: spelling (lower case, no spaces/dashes/underscores) → canonical name.
_BIOMARKERS = {
    "msih": "MSI-H", "msihigh": "MSI-H", "microsatelliteinstabilityhigh": "MSI-H", "microsatelliteinstability": "MSI-H",
    "msil": "MSI-L", "msilow": "MSI-L", "microsatelliteinstabilitylow": "MSI-L",
    "mss": "MSS", "microsatellitestable": "MSS", "msistable": "MSS",
    "tmbh": "TMB-high", "tmbhigh": "TMB-high", "hightmb": "TMB-high", "tumormutationalburdenhigh": "TMB-high",
    "tmbl": "TMB-low", "tmblow": "TMB-low", "lowtmb": "TMB-low", "tumormutationalburdenlow": "TMB-low",
    "dmmr": "dMMR", "mismatchrepairdeficient": "dMMR", "mmrdeficient": "dMMR", "mismatchrepairdeficiency": "dMMR",
    "pmmr": "pMMR", "mismatchrepairproficient": "pMMR",
    "hrd": "HRD", "homologousrecombinationdeficiency": "HRD", "homologousrecombinationdeficient": "HRD",
    "wgd": "whole-genome-doubling", "wholegenomedoubling": "whole-genome-doubling",
}  # fmt: skip
_SIGNATURE = re.compile(r"^(?:COSMIC\s*)?(SBS|DBS|ID)(\d+[a-z]?)$", re.IGNORECASE)
_TMB_VALUE = re.compile(
    r"^(?:TMB|tumou?r\s+mutational\s+burden)\s*[:=]?\s*(?P<value>\d+(?:\.\d+)?)\s*(?:(?:mut(?:ation)?s?|muts)\s*/\s*mb)?$",
    re.IGNORECASE,
)
_RSID = re.compile(r"^(?:dbsnp:)?rs(\d+)$", re.IGNORECASE)
_ASSEMBLY_PREFIX = re.compile(r"^(GRCh3[78]|hg19|hg38|b37)\s*[:/ ]\s*", re.IGNORECASE)
_CHROM = r"(?:chr)?(?P<chrom>[0-9]{1,2}|X|Y|MT|M)"
_VCF_LIKE = re.compile(rf"^{_CHROM}[-:_\s](?P<pos>\d+)[-:_\s](?P<ref>[ACGTN]+)[-:_\s>/](?P<alt>[ACGTN]+)$", re.I)
_G_HGVS = re.compile(
    rf"^(?:(?P<acc>NC_\d{{6}}\.\d+)|{_CHROM}):g\.(?P<start>\d+)(?:_(?P<end>\d+))?(?P<edit>[ACGT]+>[ACGT]+|del[ACGT]*"
    r"|ins[ACGT]+|delins[ACGT]+|dup[ACGT]*)$",
    re.IGNORECASE,
)
_TRANSCRIPT = re.compile(
    r"^(?P<tx>(?:NM|NR|XM|XR)_\d+(?:\.\d+)?|ENST\d+(?:\.\d+)?)(?:\((?P<gene>[A-Za-z0-9-]+)\))?:(?P<c>c\.\S+)"
    r"(?:\s*\((?P<protein>p\.[^)]+)\))?$"
)
_PROTEIN_ACCESSION = re.compile(r"^(?:NP|XP)_\d+(?:\.\d+)?:p\.\S+$|^ENSP\d+(?:\.\d+)?:p\.\S+$")
_CODING = re.compile(r"^c\.[-*]?\d+[\w+\-_>*]*$", re.IGNORECASE)
_GENE = r"[A-Za-z][A-Za-z0-9.]*(?:-[A-Za-z0-9]+)*"
_GENE_TOKEN = re.compile(rf"^{_GENE}$")
# A fusion partner written with a single dash must look like a symbol (letters first, 2+ characters),
# so NKX2-1 and HLA-B stay genes.
_PARTNER = re.compile(r"^[A-Z][A-Z0-9.]{1,}$", re.IGNORECASE)
_FUSION = re.compile(
    r"^(?P<five>[A-Za-z0-9.\-]+?)(?P<sep>::|--|-|/)(?P<three>[A-Za-z0-9.]+)(?:\s+(?:fusions?|rearrangements?))?$"
)
# A fusion with its ends marked: 5'BCR-3'ABL1, 5' BCR :: 3' ABL1, 5'-BCR/3'-ABL1, BCR(5')-ABL1(3').
_PRIME = r"\s*(?:['\u2019\u2032]|\s*prime)"
_MARKED_BEFORE = re.compile(
    rf"^(?P<e1>[35]){_PRIME}\s*-?\s*(?P<g1>{_GENE})\s*(?:::|--|-|/|\s)\s*(?P<e2>[35]){_PRIME}\s*-?\s*(?P<g2>{_GENE})"
    r"(?P<tail>\s+(?:fusions?|rearrangements?))?$",
    re.IGNORECASE,
)
_MARKED_AFTER = re.compile(
    rf"^(?P<g1>{_GENE})\s*\(\s*(?P<e1>[35]){_PRIME}\s*\)\s*(?:::|--|-|/|\s)\s*(?P<g2>{_GENE})\s*\(\s*(?P<e2>[35]){_PRIME}\s*\)"
    r"(?P<tail>\s+(?:fusions?|rearrangements?))?$",
    re.IGNORECASE,
)
_SIMPLE_CHANGE = re.compile(r"^[A-Z]\d+[A-Z*]$")
_FUSION_WORDS = re.compile(
    r"^(?:fusions?|rearrangements?|rearranged|translocations?|translocated|gene\s+fusions?)$", re.IGNORECASE
)
_COPY_NUMBER = {
    "amplification": "amplification", "amp": "amplification", "amplified": "amplification", "gain": "gain",
    "copy number gain": "gain", "cn gain": "gain", "deletion": "deletion", "del": "deletion",
    "homozygous deletion": "deletion", "deep deletion": "deletion", "homdel": "deletion", "loss": "loss",
    "copy number loss": "loss", "cn loss": "loss", "shallow deletion": "loss", "heterozygous deletion": "loss",
    "deleted": "deletion",
}  # fmt: skip
_EXON = re.compile(
    r"^(?:exon|ex)\s*(?P<exon>\d+)\s*(?P<edit>deletions?|del|insertions?|ins|skipping(?:\s+mutations?)?|skip|"
    r"mutations?|mut|frame\s*shift(?:\s+mutations?)?|fs)?$",
    re.IGNORECASE,
)
# Exon shorthand of reports: ex19del, 19del, del19 (EGFR's exon 19 deletion), ex20ins.
_EXON_SHORTHAND = re.compile(
    r"^(?:(?:ex)?(?P<exon>\d+)(?P<edit>del|ins|mut|skip)|(?P<edit_first>del|ins)\s?(?:ex)?(?P<exon_after>\d+))$"
)
_EXON_CONSEQUENCE = {"del": "inframe_deletion", "ins": "inframe_insertion", "ski": "exon_loss_variant",
                     "mut": "", "fra": "frameshift_variant", "fs": "frameshift_variant"}  # fmt: skip
_ITD = re.compile(r"^(?:itd|internal\s+tandem\s+duplications?(?:\s*\(itd\))?)$", re.IGNORECASE)
# Protein-looking text: a residue (one or three letters) then a position.
_PROTEIN_LIKE = re.compile(r"^(?:p\.)?\(?(?:[A-Z*]|[A-Z][a-z]{2}|Ter)\d+")
_CLASS_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /_\-+().,']{0,79}$")
_DIPLOTYPE = re.compile(r"^\s*[A-Za-z][A-Za-z0-9-]*\s*\*\S+\s*/\s*\S+|^\s*[A-Za-z][A-Za-z0-9-]*\s+\S+\s*/\s*\*\S+")
_THREE_UPPER = re.compile(r"[A-Za-z]{3}")


@dataclass(frozen=True, slots=True)
class Unparsed:
    """Text that is not a variant notation pmkg reads, with why and what might be meant."""

    text: str
    reason: str
    suggestion: str | None = None
    # The reason says only that the text is not read as written ("cannot read", "names a gene but no
    # alteration", "not a protein change"): what a respelling of it says is more use (queries.respelling).
    vague: bool = False

    @property
    def message(self) -> str:
        return f"{self.reason}; {self.suggestion}" if self.suggestion else self.reason


def is_diplotype(text: str) -> bool:
    """Whether ``text`` is a star-allele diplotype (``CYP2C19 *2/*17``), i.e. PGx input."""
    return bool(_DIPLOTYPE.match(text)) and "*" in text


def parse_variant(text: str, *, assembly: str | None = None) -> Alteration | Unparsed:
    """What one typed variant says, or why it cannot be read (see the module docstring).

    ``assembly`` (GRCh37/GRCh38) declares the assembly of a genomic position given without one.
    """
    # NFKC: full-width letters and digits (ＢＲＡＦ Ｖ６００Ｅ, typed by East Asian input methods) are the ASCII ones.
    raw = " ".join(unicodedata.normalize("NFKC", str(text)).split())
    if not raw:
        return Unparsed(str(text), "empty input", "type a variant such as BRAF V600E")
    declared = _assembly_name(assembly) if assembly else None
    if assembly and declared is None:
        return Unparsed(raw, f"unknown assembly {assembly!r}", "use GRCh37 or GRCh38")
    if several := several_inputs(raw):
        return Unparsed(raw, *several)
    if is_diplotype(raw):
        return Unparsed(
            raw,
            "a star-allele diplotype is pharmacogenomic input, not a tumour variant",
            "give it to pmkg pgx (pmkg match passes it on and attaches the dosing to therapies)",
        )
    for reader in (_rsid, _biomarker, _genomic, _transcript):
        found = reader(raw, declared)
        if found is not None:
            return found
    return _gene_alteration(raw)


def _assembly_name(text: str) -> str | None:
    return ASSEMBLY_ALIASES.get(text.strip().lower())


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.lower())


# ----------------------------------------------------------------------------- readers


def _rsid(raw: str, declared: str | None) -> Alteration | None:
    match = _RSID.match(raw)
    return Alteration(raw, rsid=f"rs{match.group(1)}") if match else None


def _biomarker(raw: str, declared: str | None) -> Alteration | Unparsed | None:
    name = _BIOMARKERS.get(_key(raw))
    if name is not None:
        return Alteration(raw, biomarker=name)
    if value := _TMB_VALUE.match(raw):
        amount = float(value.group("value"))
        level = "TMB-high" if amount >= TMB_HIGH_THRESHOLD else "TMB-low"
        return Alteration(raw, biomarker=level, biomarker_value=amount)
    if signature := _SIGNATURE.match(raw):
        return Alteration(raw, biomarker=f"{signature.group(1).upper()}{signature.group(2)}")
    if raw.upper().startswith("TMB") or raw.upper().startswith("MSI"):
        return Unparsed(
            raw,
            f"cannot read {raw!r} as a biomarker",
            "write MSI-H, MSS, TMB-high, TMB-low or a value such as TMB 12 mut/Mb",
        )
    return None


def _genomic(raw: str, declared: str | None) -> Alteration | Unparsed | None:
    text, assembly = raw, declared
    if prefix := _ASSEMBLY_PREFIX.match(raw):
        named = _assembly_name(prefix.group(1))
        if declared and named != declared:
            return Unparsed(raw, f"the text says {named} but the assembly given is {declared}", "remove one of the two")
        text, assembly = raw[prefix.end() :], named
    if vcf := _VCF_LIKE.match(text):
        chrom = _chromosome(vcf.group("chrom"))
        ref, alt = vcf.group("ref").upper(), vcf.group("alt").upper()
        if ref == alt:
            return Unparsed(raw, "reference and alternate alleles are the same: not a variant")
        return Alteration(raw, assembly=assembly, chromosome=chrom, position=int(vcf.group("pos")), ref=ref, alt=alt)
    if hgvs := _G_HGVS.match(text):
        if hgvs.group("acc"):
            found = ACCESSION_CHROMOSOMES.get(hgvs.group("acc").upper())
            if found is None:
                return Unparsed(
                    raw,
                    f"{hgvs.group('acc')} is not a GRCh37 or GRCh38 chromosome accession",
                    "write chr7:g.140753336A>T or 7-140753336-A-T",
                )
            named, chrom = found
            if assembly and assembly != named:
                return Unparsed(raw, f"{hgvs.group('acc')} is on {named}, not {assembly}")
            assembly = named
        else:
            chrom = _chromosome(hgvs.group("chrom"))
        start = int(hgvs.group("start"))
        edit = hgvs.group("edit")
        ref = alt = None
        if ">" in edit:
            ref, alt = (part.upper() for part in edit.split(">"))
            if ref == alt:
                return Unparsed(raw, "reference and alternate alleles are the same: not a variant")
        return Alteration(raw, assembly=assembly, chromosome=chrom, position=start, ref=ref, alt=alt)
    return None


def _chromosome(text: str) -> str:
    chrom = text.upper().removeprefix("CHR")
    return "MT" if chrom == "M" else chrom


def _transcript(raw: str, declared: str | None) -> Alteration | Unparsed | None:
    if match := _TRANSCRIPT.match(raw):
        coding = match.group("c")
        protein = match.group("protein")
        alteration = Alteration(raw, gene=match.group("gene"), coding_change=coding, transcript=match.group("tx"))
        if protein:
            with contextlib.suppress(SchemaError):
                alteration = replace(alteration, protein_change=parse_protein_change(protein).text)
        return alteration
    if _PROTEIN_ACCESSION.match(raw):
        return Alteration(raw)  # NP_004324.2:p.Val600Glu: looked up as written
    if _CODING.match(raw):
        return Unparsed(raw, "a c. change needs its gene or transcript", f"write e.g. BRCA2 {raw} or NM_000059.4:{raw}")
    return None


def _gene_alteration(raw: str) -> Alteration | Unparsed:
    fusion = _fusion(raw)
    if fusion is not None:
        return fusion
    head, _, rest = raw.partition(" ")
    if ":" in head and not rest:  # BRAF:V600E, BRAF:c.1799T>A
        head, _, rest = head.partition(":")
    gene, rest = head.strip(), rest.strip()
    if not _GENE_TOKEN.match(gene):
        return Unparsed(raw, *unreadable(raw))
    if not rest:
        return Unparsed(
            raw,
            f"{gene} names a gene but no alteration",
            f"write e.g. {gene} V600E, {gene} mutation, {gene} amplification or {gene} fusion",
            vague=True,
        )
    return _gene_rest(raw, gene, rest)


def _fusion(raw: str) -> Alteration | Unparsed | None:
    marked = _MARKED_BEFORE.match(raw) or _MARKED_AFTER.match(raw)
    if marked:
        ends = marked.group("e1") + marked.group("e2")
        if ends not in ("53", "35"):
            return Unparsed(
                raw,
                f"both genes of {raw!r} are marked {ends[0]}'; a fusion joins a 5' partner to a 3' partner",
                "write the 5' partner first: e.g. 5'BCR-3'ABL1 or BCR::ABL1",
            )
        five, three = (marked.group("g1"), marked.group("g2"))[:: 1 if ends == "53" else -1]
        fusion = _fusion(f"{five}::{three}")
        return replace(fusion, text=raw) if isinstance(fusion, Alteration) else fusion
    match = _FUSION.match(raw)
    if not match:
        return None
    five, sep, three = match.group("five"), match.group("sep"), match.group("three")
    if sep in ("-", "/") and (not (_PARTNER.match(five) and _PARTNER.match(three)) or _SIMPLE_CHANGE.match(three)):
        return None
    if not (_GENE_TOKEN.match(five) and _GENE_TOKEN.match(three)) or five[0].isdigit() or three[0].isdigit():
        return None
    return Alteration(raw, gene=five, fusion_partner=three, consequence="gene_fusion")


def _gene_rest(raw: str, gene: str, rest: str) -> Alteration | Unparsed:
    lowered = " ".join(rest.lower().split())
    if _CODING.match(rest):
        return Alteration(raw, gene=gene, coding_change="c." + rest[2:])
    if lowered in _COPY_NUMBER:
        return Alteration(raw, gene=gene, copy_number=_COPY_NUMBER[lowered])
    try:
        return Alteration(raw, gene=gene, copy_number=copy_number_event(lowered))
    except SchemaError:
        pass
    if _FUSION_WORDS.match(lowered):
        return Alteration(raw, gene=gene, consequence="gene_fusion")
    compact = _EXON_SHORTHAND.sub(
        lambda m: f"exon {m['exon'] or m['exon_after']} {m['edit'] or m['edit_first']}", lowered
    )
    if exon := _EXON.match(compact):
        edit = (exon.group("edit") or "mutation").replace(" ", "")
        consequence = _EXON_CONSEQUENCE.get(edit[:3], "") or None
        return Alteration(raw, gene=gene, exon=int(exon.group("exon")), consequence=consequence)
    if _ITD.match(lowered):
        return Alteration(raw, gene=gene, consequence="ITD")
    change, reason = _protein(rest)
    if change is not None:
        return Alteration(raw, gene=gene, protein_change=change)
    if reason is not None and not _looks_like_class(rest):
        return Unparsed(raw, reason, f"write e.g. {gene} V600E or {gene} p.Val600Glu", vague=True)
    if count := copy_count(raw):  # "MET copy number 12" is no class name to look up
        return Unparsed(raw, *count)
    if _CLASS_TEXT.match(rest):
        return Alteration(raw, gene=gene)  # a class the graph may name ("FLT3 TKD mutation"): looked up as text
    return Unparsed(raw, *unreadable(raw))


def _looks_like_class(rest: str) -> bool:
    """Codon lists and allele sets (``G12/G13``, ``V600E/K``) are classes, not protein changes."""
    return "/" in rest or "," in rest


def _protein(rest: str) -> tuple[str | None, str | None]:
    """``(normalised protein change, None)``, ``(None, why not)`` for protein-looking text, else ``(None, None)``."""
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    upper = rest.upper().replace("P.", "p.", 1)
    titled = _THREE_UPPER.sub(
        lambda m: m.group(0).capitalize() if m.group(0).capitalize() in THREE_TO_ONE else m.group(0), rest
    )
    first_error: SchemaError | None = None
    for candidate in dict.fromkeys((rest, upper, titled)):
        try:
            return parse_protein_change(candidate).text, None
        except SchemaError as exc:
            first_error = first_error or exc
    if not _PROTEIN_LIKE.match(rest) and not _PROTEIN_LIKE.match(upper):
        return None, None
    return None, _reason(rest, first_error)


def _reason(rest: str, error: SchemaError | None) -> str:
    text = str(error) if error else f"{rest!r} is not a protein change"
    bad = re.search(r": '(.+)' is not an amino acid", text)
    if bad:
        letters = " ".join(sorted(a for a in AMINO_ACIDS if a.isalpha() and a not in "UOX"))
        return f"{bad.group(1)} is not an amino acid (expected one of {letters}, or * for a stop)"
    return text


# ----------------------------------------------------------------------------- lookup keys


def genomic_keys(alteration: Alteration, assembly: str) -> list[str]:
    """The g. HGVS expressions (on the assembly's RefSeq chromosome) and coordinate keys of a genomic alteration.

    Loaders store variants' genomic HGVS as synonyms (CIViC: ``NC_000007.13:g.140453136A>T``;
    ClinVar's VCF: ``NC_000011.10:g.5227002T>A``); a VCF-style allele is written the ways they
    write it.  The coordinate key ``GRCh38:7-140753336-A-T`` is the synonym convention pmkg
    asks loaders to add for every variant whose position they know.

    >>> genomic_keys(Alteration("x", chromosome="7", position=140453136, ref="A", alt="T"), "GRCh37")[:2]
    ['NC_000007.13:g.140453136A>T', 'GRCh37:7-140453136-A-T']
    >>> genomic_keys(Alteration("x", chromosome="13", position=32914437, ref="GT", alt="G"), "GRCh37")[:2]
    ['NC_000013.10:g.32914438del', 'NC_000013.10:g.32914438delT']
    """
    chrom = (alteration.chromosome or "").upper().removeprefix("CHR")
    accession = CHROMOSOME_ACCESSIONS.get(assembly, {}).get("MT" if chrom == "M" else chrom)
    if accession is None or alteration.position is None:
        return []
    keys: list[str] = []
    hgvs = _G_HGVS.match(_ASSEMBLY_PREFIX.sub("", alteration.text.strip()))
    if hgvs and not alteration.ref:
        keys.append(
            f"{accession}:g.{hgvs.group('start')}"
            + (f"_{hgvs.group('end')}" if hgvs.group("end") else "")
            + _edit_case(hgvs.group("edit"))
        )
    ref, alt, pos = (alteration.ref or "").upper(), (alteration.alt or "").upper(), alteration.position
    if ref and alt:
        keys.extend(f"{accession}:g.{edit}" for edit in _vcf_edits(pos, ref, alt))
        keys.append(coordinate_key(assembly, chrom, pos, ref, alt))
    return keys


def _edit_case(edit: str) -> str:
    lowered = edit.lower()
    for word in ("delins", "del", "ins", "dup"):
        if lowered.startswith(word):
            return word + edit[len(word) :].upper()
    return edit.upper()


def _vcf_edits(pos: int, ref: str, alt: str) -> list[str]:
    """HGVS g. edits of a VCF (or MAF, ``-`` for no bases) allele, in the spellings sources use."""
    if ref == "-":  # MAF insertion after ``pos``
        return [f"{pos}_{pos + 1}ins{alt}"]
    if alt == "-":  # MAF deletion of ``ref`` starting at ``pos``
        end = pos + len(ref) - 1
        span = f"{pos}" if end == pos else f"{pos}_{end}"
        return [f"{span}del", f"{span}del{ref}"]
    if len(ref) == 1 and len(alt) == 1:
        return [f"{pos}{ref}>{alt}"]
    if ref[0] == alt[0] and (len(ref) == 1 or len(alt) == 1):  # VCF anchor base before an indel
        deleted, inserted, start = ref[1:], alt[1:], pos + 1
        if not inserted:
            end = start + len(deleted) - 1
            span = f"{start}" if start == end else f"{start}_{end}"
            return [f"{span}del", f"{span}del{deleted}"]
        return [f"{pos}_{pos + 1}ins{inserted}"]
    end = pos + len(ref) - 1
    return [f"{pos}_{end}delins{alt}", f"{pos}_{end}del{ref}ins{alt}"]


def coding_variants(coding: str) -> list[str]:
    """A c. change and its equivalent spellings (``c.5946delT`` ↔ ``c.5946del``, ``c.1799_1800delTGinsAA`` →
    ``c.1799_1800delinsAA``)."""
    forms = [coding]
    if match := re.fullmatch(r"(c\.[-*]?\d+(?:[+-]\d+)?(?:_[-*]?\d+(?:[+-]\d+)?)?)(del|dup)([ACGT]+)", coding):
        forms.append(match.group(1) + match.group(2))
    if (plain := plain_delins(coding)) != coding:
        forms.append(plain)
    return forms
