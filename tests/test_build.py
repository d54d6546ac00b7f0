"""The strict build: it passes on real data and stops, naming the file, on bad data or links."""

from __future__ import annotations

from pathlib import Path

from support import mkdocs_build


def test_strict_build_of_the_real_project_writes_every_page(built_site: Path) -> None:
    for page in [
        "index.html", "approach.html", "template.html", "practice.html",
        "examples/index.html", "examples/p99-latency.html", "examples/recommendations.html",
        "hypotheticals/index.html", "hypotheticals/ambiguous-requirements.html",
        "hypotheticals/scope-negotiation.html", "hypotheticals/incomplete-data.html",
        "playbooks/stakeholders.html", "playbooks/risk.html", "playbooks/metrics.html", "playbooks/pitfalls.html",
    ]:
        assert (built_site / page).is_file(), page


def test_deleting_outcomes_fails_the_build_naming_the_file(project: Path, tmp_path: Path) -> None:
    path = project / "data" / "projects" / "p99-latency.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("outcomes:")] + text[text.index("lessons:"):], encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "data/projects/p99-latency.yml:2:1: outcomes: field required" in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_checker_error_fails_the_build_with_the_correct_figure(project: Path, tmp_path: Path) -> None:
    path = project / "data" / "projects" / "recommendations.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("+13.8% relative", "+20% relative"), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "data/projects/recommendations.yml:51:13: error: outcomes[0].change: 'Content CTR': 6.5% → 7.4% is +14% relative, "
        "not +20% relative [honest-arithmetic]"
    ) in result.stderr


def test_broken_link_fails_the_strict_build(project: Path, tmp_path: Path) -> None:
    (project / "docs" / "practice.md").write_text("---\nrender_macros: true\n---\n# P\n\n[gone](nowhere.md)\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "practice.md' contains a link 'nowhere.md'" in result.stderr


def test_broken_anchor_fails_the_strict_build(project: Path, tmp_path: Path) -> None:
    (project / "docs" / "practice.md").write_text("# P\n\n[gone](approach.md#no-such-anchor)\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "no-such-anchor" in result.stderr


def test_undefined_macro_variable_fails_the_build(project: Path, tmp_path: Path) -> None:
    (project / "docs" / "practice.md").write_text("---\nrender_macros: true\n---\n# P\n\n{{ typo_variable }}\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "'typo_variable' is undefined" in result.stderr + result.stdout
