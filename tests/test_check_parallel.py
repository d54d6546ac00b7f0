"""`handbook check` over many files: one process per core prints exactly what one process prints."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from prep_handbook import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"


def mixed_folder(dest: Path, copies: int) -> Path:
    """A folder of stories past the parallel threshold: clean ones, ones with warnings or errors, broken ones."""
    dest.mkdir(parents=True)
    sources = sorted(FIXTURES.glob("*.yml"))  # every rule's passing and failing example
    count = 0
    while count < copies:
        for source in sources:
            shutil.copy(source, dest / f"s{count:04d}-{source.name}")
            count += 1
    (dest / "s0003-bad-yaml.yml").write_text("title: [unclosed\nheadline: x\n", encoding="utf-8")
    (dest / "s0100-binary.yml").write_bytes(b"title: a\x00b\n")  # cannot be read as text: exit 2
    (dest / "s0150-shape.yml").write_text("title: Only a title\nunknown: 1\n", encoding="utf-8")
    (dest / "s0150-Not_A_Slug.yml").write_text((FIXTURES / "team-pass.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return dest


def check(folder: Path, jobs: int, *options: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.setenv(cli.JOBS_ENV, str(jobs))
    return CliRunner().invoke(cli.main, ["check", *options, str(folder)])


@pytest.mark.parametrize("options", [(), ("--format", "json"), ("--strict", "--hints")], ids=["text", "json", "strict-hints"])
def test_parallel_and_serial_print_the_same_bytes_and_exit_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: tuple) -> None:
    folder = mixed_folder(tmp_path / "stories", cli.PARALLEL_FROM + 40)
    serial = check(folder, 1, *options, monkeypatch=monkeypatch)
    parallel = check(folder, 2, *options, monkeypatch=monkeypatch)
    assert serial.exit_code == 2  # the binary file cannot be read
    assert (parallel.exit_code, parallel.stdout, parallel.stderr) == (serial.exit_code, serial.stdout, serial.stderr)
    # The set really is mixed: errors, warnings and problems from files spread over the whole run.
    assert "s0100-binary.yml:1:1: (file): is a binary file, not YAML text" in serial.stdout or '"is a binary file, not YAML text"' in serial.stdout
    assert "s0003-bad-yaml.yml" in serial.stdout and "s0150-shape.yml" in serial.stdout and "Not_A_Slug" in serial.stdout
    last = sorted(p.name for p in folder.iterdir() if p.name.endswith("-fail.yml"))[-1]
    assert last in serial.stdout


def test_from_the_threshold_on_check_uses_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cli.JOBS_ENV, raising=False)
    cores = len(__import__("os").sched_getaffinity(0))
    assert cli._workers(cli.PARALLEL_FROM - 1) == 1
    assert cli._workers(cli.PARALLEL_FROM) == cores
    monkeypatch.setenv(cli.JOBS_ENV, "1")
    assert cli._workers(5000) == 1


def test_the_files_of_a_worker_that_dies_are_checked_by_the_command_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = mixed_folder(tmp_path / "stories", cli.PARALLEL_FROM + 40)
    serial = check(folder, 1, "--strict", "--hints", monkeypatch=monkeypatch)
    parent, check_one = os.getpid(), cli._findings_only

    def killed_in_a_child(job, template, rules):
        if os.getpid() != parent and job[1].name.startswith("s01"):
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
        return check_one(job, template, rules)

    monkeypatch.setattr(cli, "_findings_only", killed_in_a_child)
    parallel = check(folder, 3, "--strict", "--hints", monkeypatch=monkeypatch)
    assert (parallel.exit_code, parallel.stdout, parallel.stderr) == (serial.exit_code, serial.stdout, serial.stderr)
