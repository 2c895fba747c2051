"""One ``Drug`` per substance and one ``Therapy`` per set of drugs, whichever sources name them.

CIViC writes "Dabrafenib" (an NCIt code for a few drugs), CPIC "capecitabine", MOAlmanac and
CGI NCIt codes or names, DGIdb ChEMBL ids, and a salt form ("Trametinib Dimethyl Sulfoxide")
is the drug it carries.  :func:`resolve_drugs` takes every ``Drug`` record of a build and
decides which are one substance, by these rules (the name each merge records):

* ``same NCIt code`` — two records carry one NCIt code (as their id or ``ncit_id``);
* ``same id`` — two sources give one non-NCIt id (ChEMBL, DrugBank …);
* ``case-insensitive name`` — one name, ignoring case, spacing, hyphens and ®/™;
* ``NCIt synonym`` / ``brand name`` — the name is a synonym / a brand name of an NCIt concept;
* ``salt form`` — the name is another drug's name plus a salt, solvate or hydrate
  (``Imatinib Mesylate``, ``Trametinib Dimethyl Sulfoxide``, ``Irinotecan Hydrochloride Trihydrate``);
* ``source synonym`` — only when the name matched nothing: a synonym the source gives is the
  name of exactly one drug (DGIdb's "Zelboraf" record lists "Vemurafenib");
* ``named regimen`` — NCIt's regimen concepts, as CIViC names them: "Larotrectinib Regimen" is
  larotrectinib, and "Ipilimumab/Nivolumab Regimen" is the combination of ipilimumab and
  nivolumab when each drug it lists is a drug of the build (so its evidence joins that of
  "Ipilimumab + Nivolumab").  Regimens named by an acronym (FOLFOX, R-CHOP) stay as named.

A drug that reaches no NCIt concept keeps its own node and the rule ``unmatched``.  Two records
that carry *different* NCIt codes are never merged by a name rule (a synonym shared by two
concepts is ambiguous, not evidence); such refusals are counted as ``conflicts``.

Thesaurus concepts arrive as ``Drug`` records whose props carry ``thesaurus`` (the NCIt drug
loader writes them): they are reference entries, kept only when a source's drug resolves to
one.  :func:`resolve_therapies` then rewrites each ``Therapy`` over the resolved drugs, so a
combination named in two orders, or through a salt form, is one therapy.

This module holds the identity rules only; it never reads files (the thesaurus comes from a
loader through the build) and never touches a store.

>>> name_key("Trametinib  Dimethyl-Sulfoxide®")
'trametinib dimethyl sulfoxide'
>>> active_moiety("trametinib dimethyl sulfoxide")
'trametinib'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.identifiers import pmkg_id
from kg.records import Edge, Node, PropValue, Provenance
from kg.schema import Label

SAME_NCIT = "same NCIt code"
SAME_ID = "same id"
SAME_NAME = "case-insensitive name"
NCIT_SYNONYM = "NCIt synonym"
BRAND_NAME = "brand name"
SALT_FORM = "salt form"
SOURCE_SYNONYM = "source synonym"
REGIMEN = "named regimen"
UNMATCHED = "unmatched"
# How reports name the source of a record that carries no provenance.
NO_SOURCE = "(no provenance)"
# Prop a thesaurus loader sets on its Drug records (value: the thesaurus' name, e.g. "NCIt").
THESAURUS_PROP = "thesaurus"

# Salt, solvate and hydrate words that may end a drug's name; the rest of the name is the active
# moiety (INN "modified names").  Longest first, so "dimethyl sulfoxide" wins over a bare word.
_SALT_WORDS = sorted(
    (
        "dimethyl sulfoxide", "dimethylsulfoxide", "free base", "free acid",
        "mesylate", "mesilate", "dimesylate", "besylate", "besilate", "tosylate", "tosilate", "ditosylate",
        "camsylate", "esylate", "edisylate", "isethionate", "hydrochloride", "dihydrochloride", "hcl",
        "hydrobromide", "sulfate", "sulphate", "bisulfate", "hemisulfate", "phosphate", "diphosphate",
        "acetate", "citrate", "tartrate", "bitartrate", "maleate", "malate", "fumarate", "hemifumarate",
        "succinate", "lactate", "gluconate", "mandelate", "sodium", "disodium", "potassium", "dipotassium",
        "calcium", "magnesium", "meglumine", "tromethamine", "monohydrate", "dihydrate", "trihydrate",
        "sesquihydrate", "hemihydrate", "hydrate", "anhydrous", "ethanolate", "monoethanolate",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
_SALT_WORD_SET = frozenset(_SALT_WORDS)
_SALT_SUFFIX = re.compile(r"\s+(?:" + "|".join(re.escape(w) for w in _SALT_WORDS) + r")$")
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]+")
_REGIMEN = re.compile(r"^(?P<drugs>\S.*?)\s+regimen$")
# Rules that join two records of different NCIt codes: a salt and its base, a regimen and its drug are
# different concepts of one substance.  Every other name rule refuses (a shared synonym is ambiguous).
_ACROSS_CODES = frozenset({SALT_FORM, SAME_NCIT, REGIMEN})


def name_key(name: str) -> str:
    """A drug name as identity rules compare it: case-folded, ®/™ dropped, hyphens as spaces."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("®", "").replace("™", "")
    return " ".join(_DASHES.sub(" ", text).split())


def active_moiety(key: str) -> str | None:
    """The name without its trailing salt/solvate words (``imatinib mesylate`` → ``imatinib``), or None."""
    stripped = key
    while True:
        shorter = _SALT_SUFFIX.sub("", stripped)
        if shorter == stripped:
            break
        stripped = shorter
    if stripped == key or len(stripped) < 3 or stripped in _SALT_WORD_SET:
        return None
    return stripped


def regimen_drugs(key: str) -> tuple[str, ...]:
    """The drug names a regimen's name (a :func:`name_key`) lists; () if it is no regimen's name.

    >>> regimen_drugs("ipilimumab/nivolumab regimen")
    ('ipilimumab', 'nivolumab')
    >>> regimen_drugs("folfox regimen"), regimen_drugs("nivolumab")
    (('folfox',), ())
    """
    found = _REGIMEN.match(key)
    if found is None:
        return ()
    names = tuple(part.strip() for part in found["drugs"].split("/"))
    return names if all(names) else ()


@dataclass
class _Entry:
    """One drug id as the build's records give it (all repeats of the id merged)."""

    id: str
    name: str
    order: int
    thesaurus: bool
    synonyms: list[str] = field(default_factory=list)
    props: dict[str, PropValue] = field(default_factory=dict)
    provenance: list[Provenance] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # source -> the name it gave
    rule: str = ""  # how this entry joined its drug

    @property
    def code(self) -> str:
        if self.id.startswith("NCIT:"):
            return self.id.removeprefix("NCIT:")
        ncit = self.props.get("ncit_id")
        return str(ncit).removeprefix("NCIT:").removeprefix("ncit:") if ncit else ""


@dataclass
class DrugResolution:
    """What :func:`resolve_drugs` decided: old id → drug id, the merged Drug nodes, the counts, and the
    regimens that are combinations of the build's drugs (regimen's drug id → its drugs' ids)."""

    drug_ids: dict[str, str]
    nodes: list[Node]
    report: dict[str, Any]
    regimens: dict[str, tuple[str, ...]] = field(default_factory=dict)


class _Components:
    """Union–find over entries that refuses to join two different NCIt codes by a name rule."""

    def __init__(self, entries: Mapping[str, _Entry]) -> None:
        self.parent = {eid: eid for eid in entries}
        self.codes = {eid: ({e.code} if e.code else set()) for eid, e in entries.items()}
        self.conflicts: set[frozenset[str]] = set()

    def root(self, eid: str) -> str:
        while self.parent[eid] != eid:
            self.parent[eid] = self.parent[self.parent[eid]]
            eid = self.parent[eid]
        return eid

    def join(self, a: str, b: str, rule: str) -> bool:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        ca, cb = self.codes[ra], self.codes[rb]
        if ca and cb and ca != cb and rule not in _ACROSS_CODES:
            self.conflicts.add(frozenset((ra, rb)))
            return False
        self.parent[rb] = ra
        self.codes[ra] = ca | cb
        return True


def resolve_drugs(records: Sequence[Node]) -> DrugResolution:
    """Merge the build's Drug records into one node per substance (see the module docstring)."""
    entries = _entries(records)
    parts = _Components(entries)
    source_entries = [e for e in entries.values() if e.sources]
    by_code: dict[str, str] = {}
    for entry in sorted(entries.values(), key=lambda e: (not e.thesaurus, e.order)):
        if entry.code:
            first = by_code.setdefault(entry.code, entry.id)
            if first != entry.id and parts.join(first, entry.id, SAME_NCIT):
                entry.rule = entry.rule or SAME_NCIT
    for entry in entries.values():
        salts = entry.props.get("salt_forms") if entry.thesaurus else None
        for salt in salts if isinstance(salts, list) else ():
            if salt in entries:
                parts.join(entry.id, salt, SALT_FORM)
                entries[salt].rule = entries[salt].rule or SALT_FORM
    preferred, synonyms, brands = _thesaurus_index(entries.values())
    names: dict[str, list[str]] = {}
    for entry in source_entries:
        names.setdefault(name_key(entry.name), []).append(entry.id)
    by_name_only: list[_Entry] = []
    for entry in source_entries:
        key = name_key(entry.name)
        rule = _join_by_name(entry, key, preferred, synonyms, brands, names, parts)
        if rule is None:
            moiety = active_moiety(key)
            if moiety is not None:
                rule = _join_by_name(entry, moiety, preferred, synonyms, brands, names, parts, as_rule=SALT_FORM)
        if rule is None:
            listed = regimen_drugs(key)
            if len(listed) == 1:
                rule = _join_by_name(entry, listed[0], preferred, synonyms, brands, names, parts, as_rule=REGIMEN)
        if rule and not entry.rule:
            entry.rule = rule
        elif rule is None:
            by_name_only.append(entry)
    # Synonyms last, once every name has joined what it names (so "one drug" is judged on the whole build).
    for entry in by_name_only:
        rule = _join_by_synonym(entry, preferred, names, parts)
        if rule and not entry.rule:
            entry.rule = rule
    return _assemble(entries, parts)


def _join_by_synonym(
    entry: _Entry, preferred: Mapping[str, set[str]], names: Mapping[str, list[str]], parts: _Components
) -> str | None:
    """A drug the source names by a brand or code name, with the generic name among its synonyms
    (DGIdb's "Zelboraf" listing "Vemurafenib"): join the one drug that synonym names, if only one."""
    for synonym in entry.synonyms:
        key = name_key(synonym)
        targets = set(preferred.get(key, ())) or {other for other in names.get(key, ()) if other != entry.id}
        if len({parts.root(t) for t in targets}) == 1 and parts.join(next(iter(targets)), entry.id, SOURCE_SYNONYM):
            return SOURCE_SYNONYM
    return None


def _entries(records: Sequence[Node]) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for record in records:
        entry = entries.get(record.id)
        if entry is None:
            entry = entries[record.id] = _Entry(record.id, record.name, len(entries), False)
        from_thesaurus = bool(record.props.get(THESAURUS_PROP))
        if from_thesaurus and not entry.thesaurus:
            entry.thesaurus, entry.name = True, record.name
        for synonym in record.synonyms:
            if synonym not in entry.synonyms:
                entry.synonyms.append(synonym)
        entry.props.update(record.props)
        for p in record.provenance:
            if p not in entry.provenance:
                entry.provenance.append(p)
            if not from_thesaurus:
                entry.sources.setdefault(p.source, record.name)
        if not from_thesaurus and not record.provenance:
            entry.sources.setdefault(NO_SOURCE, record.name)  # still a drug of the build, never dropped
    for entry in entries.values():
        if len(entry.sources) > 1:
            entry.rule = SAME_NCIT if entry.id.startswith("NCIT:") else (
                SAME_NAME if entry.id.startswith("PMKG:") else SAME_ID)  # fmt: skip
    return entries


def _thesaurus_index(
    entries: Iterable[_Entry],
) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
    preferred: dict[str, set[str]] = {}
    synonyms: dict[str, set[str]] = {}
    brands: dict[str, set[str]] = {}
    for entry in entries:
        if not entry.thesaurus:
            continue
        preferred.setdefault(name_key(entry.name), set()).add(entry.id)
        brand_names = entry.props.get("brand_names")
        brand_keys = {name_key(str(b)) for b in brand_names} if isinstance(brand_names, list) else set()
        for key in brand_keys:
            brands.setdefault(key, set()).add(entry.id)
        for synonym in entry.synonyms:
            key = name_key(synonym)
            if key not in brand_keys:
                synonyms.setdefault(key, set()).add(entry.id)
    return preferred, synonyms, brands


def _join_by_name(
    entry: _Entry,
    key: str,
    preferred: Mapping[str, set[str]],
    synonyms: Mapping[str, set[str]],
    brands: Mapping[str, set[str]],
    names: Mapping[str, list[str]],
    parts: _Components,
    *,
    as_rule: str | None = None,
) -> str | None:
    """Join ``entry`` to what ``key`` names; the rule used (``as_rule`` when given: ``key`` is part of the
    entry's name), or None if nothing (unambiguous) matched."""
    for table, rule in ((preferred, SAME_NAME), (synonyms, NCIT_SYNONYM), (brands, BRAND_NAME)):
        targets = table.get(key, set())
        if len(targets) == 1:
            used = as_rule or rule
            return used if parts.join(next(iter(targets)), entry.id, used) else None
    others = [other for other in names.get(key, ()) if other != entry.id]
    if not others:
        return None
    used = as_rule or SAME_NAME
    joined = [parts.join(other, entry.id, used) for other in others]
    return used if any(joined) else None


def _assemble(entries: Mapping[str, _Entry], parts: _Components) -> DrugResolution:
    groups: dict[str, list[_Entry]] = {}
    for entry in entries.values():
        groups.setdefault(parts.root(entry.id), []).append(entry)
    drug_ids: dict[str, str] = {}
    nodes: list[Node] = []
    rules: Counter[str] = Counter()
    per_source: dict[str, Counter[str]] = {}
    for members in groups.values():
        sourced = [e for e in members if e.sources]
        if not sourced:
            continue  # a thesaurus concept no source names
        node = _drug_node(members)
        nodes.append(node)
        for entry in members:
            drug_ids[entry.id] = node.id
        node_rules = _list(node.props["identity_rules"])
        rules.update(str(r) for r in node_rules)
        shared = len(sourced) > 1 or any(len(e.sources) > 1 for e in sourced)
        for entry in sourced:
            for source in entry.sources:
                counts = per_source.setdefault(source, Counter())
                counts["drugs"] += 1
                counts["merged"] += shared
                counts["to_ncit"] += node.id.startswith("NCIT:")
                counts[UNMATCHED] += UNMATCHED in node_rules
    records = sum(len(e.sources) for e in entries.values())
    report: dict[str, Any] = {
        "drug_records": records,
        "drugs": len(nodes),
        "merged": records - len(nodes),
        "named_by_several_sources": sum(1 for n in nodes if len(_list(n.props.get("named_by"))) > 1),
        UNMATCHED: sum(1 for n in nodes if UNMATCHED in _list(n.props.get("identity_rules"))),
        "rules": dict(sorted(rules.items())),
        "conflicts": len(parts.conflicts),
        "sources": {s: dict(sorted(c.items())) for s, c in sorted(per_source.items())},
    }
    return DrugResolution(drug_ids, nodes, report, _regimens(nodes))


def _regimens(nodes: Sequence[Node]) -> dict[str, tuple[str, ...]]:
    """Drugs named as a regimen of several drugs of the build (each named by one drug only) → those drugs."""
    named: dict[str, set[str]] = {}
    for node in nodes:
        for text in (node.name, *node.synonyms):
            named.setdefault(name_key(text), set()).add(node.id)
    regimens: dict[str, tuple[str, ...]] = {}
    for node in nodes:
        listed = regimen_drugs(name_key(node.name))
        if len(listed) < 2:
            continue
        found = [named.get(name, set()) for name in listed]
        if all(len(ids) == 1 for ids in found):
            components = tuple(dict.fromkeys(next(iter(ids)) for ids in found))
            if node.id not in components:
                regimens[node.id] = components
    return regimens


def _own_rule(entry: _Entry, matched: bool) -> str:
    """The rule that put ``entry`` in its drug, as the identity log shows it."""
    if entry.rule:
        return entry.rule
    if entry.thesaurus:
        return SAME_NCIT
    if entry.code:
        return "NCIt code given by the source"
    return "first record of its name" if matched else UNMATCHED


def _is_regimen(entry: _Entry) -> bool:
    return bool(regimen_drugs(name_key(entry.name)))


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _drug_node(members: list[_Entry]) -> Node:
    """The one Drug node of a group: the thesaurus concept's name, else the coded, unsalted, first record's.

    A regimen's record never names the drug nor gives it its NCIt code (the regimen concept has its own).
    """
    head = min(
        members,
        key=lambda e: (
            not e.thesaurus,
            _is_regimen(e),
            not e.code,
            active_moiety(name_key(e.name)) is not None,
            e.order,
        ),
    )
    code = head.code or next((e.code for e in members if e.code and not _is_regimen(e)), "")
    node_id = f"NCIT:{code}" if code else head.id
    seen = {name_key(head.name)}
    synonyms: list[str] = []
    for entry in sorted(members, key=lambda e: (e is not head, e.order)):
        for text in (entry.name, *entry.synonyms):
            key = name_key(text)
            if key not in seen:
                seen.add(key)
                synonyms.append(text)
    props: dict[str, PropValue] = {}
    for entry in sorted(members, key=lambda e: (e.thesaurus, e.order)):
        own = (THESAURUS_PROP, "ncit_id") if _is_regimen(entry) else (THESAURUS_PROP,)
        props.update({k: v for k, v in entry.props.items() if k not in own})
    if code:
        props["ncit_id"] = code
    sourced = sorted((e for e in members if e.sources), key=lambda e: e.order)
    matched = bool(code) or any(e.thesaurus for e in members)
    used = list(dict.fromkeys(e.rule for e in sourced if e.rule))
    if not matched:
        used.append(UNMATCHED)
    props["identity_rules"] = used
    props["identity_log"] = [
        f"{source} {given!r} ({e.id}): {_own_rule(e, matched)}" for e in sourced for source, given in e.sources.items()
    ]
    props["named_by"] = sorted({s for e in sourced for s in e.sources})
    thesaurus = next((e for e in members if e.thesaurus), None)
    if thesaurus is not None:
        props["thesaurus"] = str(thesaurus.props.get(THESAURUS_PROP))
    if len(members) > 1:
        props["merged_ids"] = [e.id for e in sorted(members, key=lambda e: e.order) if e.id != node_id]
    provenance = tuple(dict.fromkeys(p for e in members for p in e.provenance))
    return Node(node_id, Label.DRUG, _display_name(head, members), tuple(synonyms), props, provenance)


def _display_name(head: _Entry, members: Sequence[_Entry]) -> str:
    """The head's name, spelt as another source capitalises it when the head's source writes it all in lower
    case (CPIC's "fluorouracil", CIViC's "Fluorouracil": one drug, shown as "Fluorouracil" like its neighbours)."""
    if not head.name.islower():
        return head.name
    key = name_key(head.name)
    given = (name for e in sorted(members, key=lambda e: e.order) for name in (e.name, *e.sources.values()))
    return next((name for name in given if name_key(name) == key and not name.islower()), head.name)


# ------------------------------------------------------------------------------------ therapies


def therapy_key(drug_names: Sequence[str], *, sequential: bool = False) -> str:
    """Id of a therapy over resolved drug names: order-free unless the drugs are given in sequence.

    >>> therapy_key(["Trametinib", "Dabrafenib"])
    'PMKG:therapy/dabrafenib+trametinib'
    """
    keys = [" ".join(n.lower().split()) for n in drug_names]
    if sequential:
        return pmkg_id("therapy", "sequential:" + ">".join(keys))
    return pmkg_id("therapy", "+".join(sorted(dict.fromkeys(keys))))


def resolve_therapies(
    records: Sequence[Node], components: Sequence[Edge], drugs: DrugResolution
) -> tuple[dict[str, str], list[Node], dict[str, int]]:
    """Therapy records rewritten over resolved drugs: old id → therapy id, the merged nodes, counts.

    A therapy without drug components (CGI's drug-class therapies) keeps its id.
    """
    drug_names: dict[str, str] = {n.id: n.name for n in drugs.nodes}
    parts: dict[str, list[str]] = {}
    as_regimen: set[str] = set()
    for edge in components:
        drug = drugs.drug_ids.get(edge.end, edge.end)
        listed = parts.setdefault(edge.start, [])
        if drug in drugs.regimens:
            as_regimen.add(edge.start)
        for component in drugs.regimens.get(drug, (drug,)):
            if component not in listed:
                listed.append(component)
    merged: dict[str, dict[str, Any]] = {}
    therapy_ids: dict[str, str] = {}
    for record in records:
        drug_list = parts.get(record.id)
        sequential = record.props.get("interaction") == "sequential"
        if drug_list:
            ordered = drug_list if sequential else sorted(drug_list, key=lambda d: (drug_names.get(d) or d).lower())
            names = [drug_names.get(d) or d for d in ordered]
            new_id = therapy_key(names, sequential=sequential)
            name = (" then " if sequential else " + ").join(names)
        else:
            new_id, name, names = record.id, record.name, []
        therapy_ids[record.id] = new_id
        slot = merged.get(new_id)
        if slot is None:
            slot = merged[new_id] = {"name": name, "props": {}, "provenance": [], "from": [], "names": names}
        slot["props"].update(record.props)
        if len(names) == 1 and slot["props"].get("interaction") == "combination":
            slot["props"]["interaction"] = "single"  # a "combination" of one substance in two spellings
        if record.id in as_regimen:
            slot["regimen"] = True
            slot.setdefault("aliases", []).append(record.name)  # still found by the name the source gave
            if len(names) > 1 and slot["props"].get("interaction") in (None, "single"):
                slot["props"]["interaction"] = "combination"  # a regimen source names as one drug
        slot["provenance"].extend(p for p in record.provenance if p not in slot["provenance"])
        if record.id not in slot["from"]:
            slot["from"].append(record.id)
    nodes = []
    for new_id, slot in merged.items():
        props: dict[str, PropValue] = dict(slot["props"])
        if slot["names"]:
            props["drugs"] = list(slot["names"])
            props["drug_count"] = len(slot["names"])
        others = [old for old in slot["from"] if old != new_id]
        if others:
            props["merged_ids"] = others
        if slot.get("regimen"):
            props["identity_rules"] = [REGIMEN]
        aliases = tuple(dict.fromkeys(a for a in slot.get("aliases", ()) if a != slot["name"]))
        nodes.append(Node(new_id, Label.THERAPY, slot["name"], aliases, props, tuple(slot["provenance"])))
    counts = {"therapy_records": len(therapy_ids), "therapies": len(nodes), "merged": len(therapy_ids) - len(nodes)}
    return therapy_ids, nodes, counts


# Labels a build holds back until every source has been read, then resolves here.
IDENTITY_LABELS = frozenset({Label.DRUG, Label.THERAPY})
