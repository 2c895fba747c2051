"""Build recipes: a build records where each source's files came from, and pmkg curate makes the same
build again from them (a build made before pmkg recorded it falls back to the bundled starter)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.errors import ConfigError
from kg.stores.port import SourceInfo
from loaders.registry import loaders_for_recipe
from tests.curation.conftest import DO_2025_06, DO_2025_12
from tests.pmkg_cli import pmkg


def test_status_names_where_each_release_was_read_from(home_do_2025_06: Path) -> None:
    sources = {s["name"]: s for s in json.loads(pmkg(home_do_2025_06, "status", "--format", "json").stdout)["sources"]}
    assert sources["disease_ontology"]["origin"] == str(DO_2025_06)
    assert sources["civic"]["origin"] == sources["genes"]["origin"] == "starter"


def test_a_manifest_without_origins_is_rebuilt_from_the_starter(tmp_path: Path) -> None:
    from loaders.disease_ontology import DiseaseOntologyLoader

    starter = DiseaseOntologyLoader.starter()
    old = [SourceInfo("disease_ontology", starter.version, "CC0-1.0", checksum=starter.checksum)]
    (loader,) = loaders_for_recipe(old, {}, cache_dir=tmp_path, build_id="bold")
    assert (loader.origin, loader.info.checksum) == ("starter", starter.checksum)
    replaced = loaders_for_recipe(old, {"disease_ontology": (DO_2025_12, None)}, cache_dir=tmp_path, build_id="bold")
    assert [x.origin for x in replaced] == [str(DO_2025_12)]


def test_a_source_whose_files_changed_since_the_build_is_named(tmp_path: Path) -> None:
    from loaders.disease_ontology import DiseaseOntologyLoader

    folder = tmp_path / "do"
    shutil.copytree(DO_2025_06, folder)
    info = DiseaseOntologyLoader.from_path(folder, version="2025-06-27").info
    (folder / "HumanDO.tsv").write_text((DO_2025_12 / "HumanDO.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"source 'disease_ontology' of build b1 was read from .*/do, whose files"):
        loaders_for_recipe([info], {}, cache_dir=tmp_path, build_id="b1")
    shutil.rmtree(folder)
    with pytest.raises(ConfigError, match="which no longer exists"):
        loaders_for_recipe([info], {}, cache_dir=tmp_path, build_id="b1")


def test_an_unbundled_source_without_an_origin_cannot_be_rebuilt(tmp_path: Path) -> None:
    old = [SourceInfo("moalmanac", "2024-06-13", "GPL-2.0", checksum="sha256:x")]
    with pytest.raises(ConfigError, match="does not record where its source 'moalmanac'"):
        loaders_for_recipe(old, {}, cache_dir=tmp_path, build_id="bold")
