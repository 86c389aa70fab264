"""The layer's pinned requirements are the runtime dependencies pyproject.toml declares, and what tests run on."""

from __future__ import annotations

import importlib.metadata
import tomllib

from packaging.requirements import Requirement

from tools.template import ROOT

DECLARED = [
    Requirement(line) for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
]
PINNED = {
    Requirement(line).name.lower(): str(Requirement(line).specifier).removeprefix("==")
    for line in (ROOT / "layers" / "common" / "requirements.txt").read_text().splitlines()
    if line and not line.startswith((" ", "#"))
}


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    for requirement in DECLARED:
        name = requirement.name.lower()

        assert name in PINNED, f"{name} is declared in pyproject.toml but not pinned: run 'make requirements'"
        assert requirement.specifier.contains(PINNED[name]), f"{name}=={PINNED[name]} drifted from {requirement}"


def test_every_declared_extra_brings_its_packages_into_the_pins() -> None:
    for requirement in DECLARED:
        for extra in requirement.extras:
            needed = [
                Requirement(line)
                for line in importlib.metadata.requires(requirement.name) or []
                if Requirement(line).marker is not None and Requirement(line).marker.evaluate({"extra": extra})  # type: ignore[union-attr]
            ]

            for dependency in needed:
                assert dependency.name.lower() in PINNED, f"{requirement.name}[{extra}] needs {dependency.name}"


def test_tests_run_on_the_pinned_versions() -> None:
    for name, version in PINNED.items():
        assert importlib.metadata.version(name) == version, f"the dev venv has {name} != {version}: run 'make dev'"
