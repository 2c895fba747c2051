"""The OBO stanza reader: real stanzas, round trips of generated terms, and precise errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import SourceFileError
from loaders.obo import SYNONYM_SCOPES, OboTerm, Synonym, iter_terms, read_header, xref_props

DATA = Path(__file__).parents[1] / "data"
SO = DATA / "sequence_ontology" / "so.obo"
DO_SUBSET = DATA / "disease_ontology" / "NCIthesaurus.obo"


def write(tmp_path: Path, text: str, name: str = "t.obo") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_a_real_so_term_with_scoped_typed_synonyms() -> None:
    terms = {t.id: t for t in iter_terms(SO)}
    missense = terms["SO:0001583"]
    assert missense.name == "missense_variant"
    assert missense.is_a == ("SO:0001992",)
    assert missense.alt_ids == ("SO:0001584", "SO:0001783")
    assert Synonym("VEP:missense_variant", "EXACT", "VAR", ()) in missense.synonyms
    assert "missense codon" in missense.synonym_texts("EXACT")
    assert "ANNOVAR:nonsynonymous SNV" in missense.synonym_texts("RELATED")
    assert missense.definition is not None
    assert missense.definition.startswith("A sequence variant, that changes")
    assert missense.definition_xrefs == ("EBI:fc", "EBI:gr", "SO:ke")
    assert terms["SO:1000059"].is_obsolete


def test_reads_do_stanzas_with_escapes_comments_and_header() -> None:
    header = read_header(DO_SUBSET)
    assert header.format_version == "1.2"
    assert header.data_version == "doid/releases/2026-07-31/subsets/NCIthesaurus.obo"
    terms = {t.id: t for t in iter_terms(DO_SUBSET)}
    luad = terms["DOID:3910"]
    assert luad.is_a == ("DOID:3908",)  # "! lung non-small cell carcinoma" is a comment
    assert "NCI:C3512" in luad.xrefs
    assert "UMLS_CUI:C0152013" in luad.xrefs
    assert "DO_cancer_slim" in luad.subsets
    assert luad.synonym_texts("RELATED") == ["adenocarcinoma of lung"]
    assert "url:http://en.wikipedia.org/wiki/Adenocarcinoma" in luad.definition_xrefs  # "\:" unescaped
    nsclc = terms["DOID:3908"]
    assert Synonym("NSCLC", "EXACT", "OMO:0003012", ()) in nsclc.synonyms


def test_provenance_line_is_the_id_line() -> None:
    lines = SO.read_text(encoding="utf-8").splitlines()
    for term in iter_terms(SO):
        assert lines[term.line - 1] == f"id: {term.id}"


def test_reads_gzipped_files(tmp_path: Path) -> None:
    target = tmp_path / "so.obo.gz"
    target.write_bytes(gzip.compress(SO.read_bytes()))
    assert [t.id for t in iter_terms(target)] == [t.id for t in iter_terms(SO)]


def test_typedef_and_instance_stanzas_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "format-version: 1.4\n\n[Typedef]\nid: part_of\nname: part of\n\n"
                 "[Term]\nid: X:1\nname: one\n\n[Instance]\nid: i1\ninstance_of: X:1\n")  # fmt: skip
    assert [t.id for t in iter_terms(path)] == ["X:1"]


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("format-version: 1.2\n\n[Term]\nid: X:1\nname one\n", 5, "expected 'tag: value'"),
        ("format-version: 1.2\n\n[Term\nid: X:1\n", 3, "unparseable stanza header"),
        ("format-version: 1.2\n\n[Term]\nname: no id\n", 3, "no 'id:' line"),
        ("format-version: 1.2\n\n[Term]\nid: X:1\nsynonym: missing quotes EXACT []\n", 5, "quoted synonym"),
        ('format-version: 1.2\n\n[Term]\nid: X:1\nsynonym: "x" EXACTLY []\n', 5, "synonym scope 'EXACTLY'"),
        ('format-version: 1.2\n\n[Term]\nid: X:1\ndef: "unterminated [\n', 5, "quoted definition"),
        ("format-version: 1.2\n\n[Term]\nid: X:1\nis_obsolete: maybe\n", 5, "'true' or 'false'"),
        ("format-version: 1.2\n\n[Term]\nid: X:1\nid: X:2\n", 5, "a second 'id:'"),
        ("[Term]\nid: X:1\n", 1, "OBO header"),
        ("format-version: 1.2\n\n[Term]\nid: X:1\nname: cut of", 5, "truncated"),
    ],
)
def test_unreadable_stanzas_name_file_line_and_problem(tmp_path: Path, text: str, line: int, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SourceFileError) as info:
        list(iter_terms(path))
    assert info.value.line == line
    assert info.value.path == str(path)
    assert expected in str(info.value)


def test_empty_file_is_not_obo(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="no OBO header"):
        list(iter_terms(write(tmp_path, "")))
    with pytest.raises(SourceFileError, match="format-version"):
        read_header(write(tmp_path, "", "empty.obo"))


def test_bad_stanzas_can_be_skipped_and_reported(tmp_path: Path) -> None:
    text = (
        "format-version: 1.2\n\n[Term]\nid: X:1\nname: good\n\n[Term]\nid: X:2\nsynonym: bad\n\n"
        "[Term]\nid: X:3\nname: also good\n"
    )
    errors: list[SourceFileError] = []
    terms = list(iter_terms(write(tmp_path, text), on_bad=errors.append))
    assert [t.id for t in terms] == ["X:1", "X:3"]
    assert [(e.line, e.field) for e in errors] == [(9, "synonym")]


def test_truncated_gzip_is_a_source_file_error(tmp_path: Path) -> None:
    data = gzip.compress(SO.read_bytes())
    target = tmp_path / "so.obo.gz"
    target.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFileError, match="truncated"):
        list(iter_terms(target))


def test_xref_props_group_vocabularies() -> None:
    props = xref_props(["NCI:C3512", "UMLS_CUI:C0152013", "SNOMEDCT_US_2025_09_01:1", "MIM:PS1", "ID:7"])
    assert props == {"ncit": ["C3512"], "umls": ["C0152013"], "snomedct": ["1"], "omim": ["PS1"], "xref_id": ["7"]}


# --- generated round trips --------------------------------------------------------------

# Letters plus every character OBO treats specially (quotes, escapes, comments, qualifiers, lists).
_TEXT = st.text(alphabet='ab Zé β19"\\!{}[],:=-', min_size=1, max_size=30).map(str.strip).filter(bool)
_IDS = st.builds("{}:{}".format, st.sampled_from(["DOID", "SO", "NCIT", "MONDO", "ICD10CM"]), st.integers(0, 10**7))


def _escape_unquoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace("!", "\\!").replace("{", "\\{")


def _escape_quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@st.composite
def obo_terms(draw: st.DrawFn) -> OboTerm:
    synonyms = draw(
        st.lists(
            st.builds(
                Synonym,
                _TEXT,
                st.sampled_from(SYNONYM_SCOPES),
                st.sampled_from([None, "VAR", "OMO:0003012"]),
                st.lists(_IDS, max_size=2).map(tuple),
            ),
            max_size=4,
        )
    )
    return OboTerm(
        id=draw(_IDS),
        line=0,
        name=draw(_TEXT),
        definition=draw(st.one_of(st.none(), _TEXT)),
        synonyms=tuple(synonyms),
        xrefs=tuple(draw(st.lists(_IDS, max_size=3))),
        is_a=tuple(draw(st.lists(_IDS, max_size=3))),
        alt_ids=tuple(draw(st.lists(_IDS, max_size=2))),
        is_obsolete=draw(st.booleans()),
    )


def _format(term: OboTerm) -> list[str]:
    lines = ["[Term]", f"id: {term.id}", f"name: {_escape_unquoted(term.name or '')}"]
    lines += [f"alt_id: {a}" for a in term.alt_ids]
    if term.definition is not None:
        lines.append(f'def: "{_escape_quoted(term.definition)}" [url:http\\://example.org/a\\,b]')
    for s in term.synonyms:
        kind = f" {s.type}" if s.type else ""
        lines.append(f'synonym: "{_escape_quoted(s.text)}" {s.scope}{kind} [{", ".join(s.xrefs)}]')
    lines += [f"xref: {x}" for x in term.xrefs]
    lines += [f"is_a: {p} ! a parent {{x=y}}" for p in term.is_a]
    if term.is_obsolete:
        lines.append("is_obsolete: true")
    return [*lines, ""]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=st.lists(obo_terms(), min_size=1, max_size=5))
def test_generated_terms_round_trip(tmp_path: Path, terms: list[OboTerm]) -> None:
    lines = ["format-version: 1.4", "data-version: test", ""]
    for term in terms:
        lines += _format(term)
    path = write(tmp_path, "\n".join(lines) + "\n", "generated.obo")
    parsed = list(iter_terms(path))
    assert len(parsed) == len(terms)
    for got, want in zip(parsed, terms, strict=True):
        assert (got.id, got.name, got.is_a, got.xrefs, got.alt_ids, got.is_obsolete) == (
            want.id, want.name, want.is_a, want.xrefs, want.alt_ids, want.is_obsolete,
        )  # fmt: skip
        assert got.synonyms == want.synonyms
        assert got.definition == want.definition
        if want.definition is not None:
            assert got.definition_xrefs == ("url:http://example.org/a,b",)


_LINE = st.one_of(
    st.sampled_from(["[Term]", "[Typedef]", "[Term", "", "! comment", "is_obsolete: true", "id:", "def: x"]),
    st.builds(lambda t, v: f"{t}: {v}", st.sampled_from(["id", "name", "synonym", "def", "is_a", "xref"]), _TEXT),
    _TEXT,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(_LINE, max_size=12))
def test_any_input_gives_terms_or_a_source_file_error(tmp_path: Path, body: list[str]) -> None:
    path = write(tmp_path, "format-version: 1.2\n" + "\n".join(body) + "\n", "fuzz.obo")
    errors: list[SourceFileError] = []
    terms = list(iter_terms(path, on_bad=errors.append))  # every problem reported, none raised past on_bad
    assert all(t.id and " " not in t.id for t in terms)
    for error in errors:
        assert error.path == str(path)
        assert error.line is not None
        assert error.line >= 1
    if errors:
        with pytest.raises(SourceFileError):
            list(iter_terms(path))
    else:
        assert [t.id for t in iter_terms(path)] == [t.id for t in terms]
