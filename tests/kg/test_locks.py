"""The one exclusive file lock (kg.locks) behind promotes, builds and audit appends."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.curation.audit import FileAuditLog
from kg.errors import BuildError, StoreError
from kg.locks import exclusive_lock


def test_a_held_lock_refuses_a_second_holder_with_the_callers_message_and_kind(tmp_path: Path) -> None:
    path = tmp_path / "build.lock"
    busy = "another build is running; wait"
    with (
        exclusive_lock(path, "take the build lock"),
        pytest.raises(BuildError, match=rf"^{busy}$"),
        exclusive_lock(path, "take the build lock", error=BuildError, busy=busy),
    ):
        pass


def test_the_lock_is_given_back_when_the_block_fails(tmp_path: Path) -> None:
    path = tmp_path / "promote.lock"
    with pytest.raises(ValueError, match="promote failed"), exclusive_lock(path, "take the promote lock"):
        raise ValueError("the promote failed")
    with exclusive_lock(path, "take the promote lock", busy="still held"):
        pass  # taken at once: the failed block released it


def test_a_lock_file_that_cannot_be_opened_names_the_file_and_why(tmp_path: Path) -> None:
    (tmp_path / "x.lock").mkdir()
    with (
        pytest.raises(StoreError, match=r"^cannot take the x lock: .*x\.lock is a folder, not a file$"),
        exclusive_lock(tmp_path / "x.lock", "take the x lock"),
    ):
        pass


def test_an_audit_log_whose_lock_is_in_the_way_says_so_in_words(tmp_path: Path) -> None:
    (tmp_path / "audit.lock").mkdir()
    log = FileAuditLog(tmp_path)
    with pytest.raises(
        StoreError, match=rf"^cannot write the audit log in {re.escape(str(tmp_path))}: .*is a folder, not a file$"
    ):
        log.append(curator="ana", action="apply", message="DO 2025-12-23")
    assert log.entries() == []
