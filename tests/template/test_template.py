"""The template's contract: it lints clean, builds, and every function is wired the same way."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tools.template import ROOT, FunctionSpec, functions, load_template

TEMPLATE = load_template()
FUNCTIONS = functions(TEMPLATE)
SAM = ROOT / ".venv-sam" / "bin" / "sam"
PYTHON313_DIR = Path(sys.executable).parent  # the dev virtualenv's bin holds python3.13


def _sam(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    if not SAM.exists():
        pytest.fail(f"SAM CLI is missing at {SAM}: run 'make dev'")
    return subprocess.run(
        [str(SAM), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={
            "PATH": f"{PYTHON313_DIR}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(Path.home()),
            "AWS_DEFAULT_REGION": "us-east-1",
            "SAM_CLI_TELEMETRY": "0",
        },
    )


def test_cfn_lint_reports_nothing() -> None:
    completed = subprocess.run(
        [str(PYTHON313_DIR / "cfn-lint"), "template.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_sam_validate_lint_passes() -> None:
    completed = _sam("validate", "--lint", "--template-file", "template.yaml")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "is a valid SAM Template" in completed.stdout + completed.stderr


def test_sam_build_builds_the_layer_and_every_function(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"

    completed = _sam("build", "--template-file", "template.yaml", "--build-dir", str(build_dir))

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (build_dir / "CommonLayer" / "python" / "dbops" / "__init__.py").is_file()
    assert (build_dir / "CommonLayer" / "python" / "aws_lambda_powertools").is_dir()
    for spec in FUNCTIONS:
        assert (build_dir / spec.logical_id / f"{spec.handler_module}.py").is_file()


def test_globals_pin_the_runtime_architecture_tracing_and_json_logs() -> None:
    function_globals = TEMPLATE["Globals"]["Function"]

    assert function_globals["Runtime"] == "python3.13"
    assert function_globals["Architectures"] == ["arm64"]
    assert function_globals["Tracing"] == "Active"
    assert function_globals["LoggingConfig"]["LogFormat"] == "JSON"
    assert function_globals["Layers"] == [{"Ref": "CommonLayer"}]
    assert function_globals["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"] == "dbops"


def test_common_layer_is_built_from_layers_common_by_sam() -> None:
    layer = TEMPLATE["Resources"]["CommonLayer"]

    assert layer["Properties"]["ContentUri"] == "layers/common/"
    assert layer["Metadata"] == {"BuildMethod": "python3.13", "BuildArchitecture": "arm64"}
    assert not (ROOT / "layers" / "common" / "python").exists()


@pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.name)
def test_function_handler_resolves_to_a_callable(spec: FunctionSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(spec.code_dir))
    module_spec = importlib.util.spec_from_file_location(
        f"handler_of_{spec.name}", spec.code_dir / f"{spec.handler_module}.py"
    )
    assert module_spec is not None
    assert module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)

    assert callable(getattr(module, spec.handler_function))


@pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.name)
def test_function_has_one_name_everywhere(spec: FunctionSpec) -> None:
    expected_logical_id = "".join(part.title() for part in spec.name.split("_")) + "Function"

    assert spec.logical_id == expected_logical_id
    assert spec.environment.get("POWERTOOLS_SERVICE_NAME") == spec.name
    assert list((ROOT / "events" / spec.name).glob("*.json")), f"events/{spec.name}/ has no sample event"
    assert list((ROOT / "tests" / "handlers" / spec.name).glob("test_*.py")), f"tests/handlers/{spec.name}/ is empty"
    assert (
        not (spec.code_dir / "requirements.txt").exists()
        or "file:" not in (spec.code_dir / "requirements.txt").read_text()
    )
