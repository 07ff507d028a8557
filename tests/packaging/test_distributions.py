"""The three products install on their own, with only what they need, as a user would install them.

Wheels are built from the repository, installed into fresh virtualenvs (uv, from the registry and
its cache) and used from there: the client alone runs the README's first example against a
``bria-mock`` process and passes ``mypy --strict``; the suite alone runs its CLI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
UV = shutil.which("uv", path=str(BIN)) or shutil.which("uv")
PRODUCTS = {
    "bria-tailored": "generated",
    "bria-mock": "conformance/mock",
    "bria-conformance": "conformance/suite",
}
# What a user who only imports the client may receive: its two dependencies and theirs.
CLIENT_CLOSURE = {
    "bria-tailored", "httpx", "httpcore", "h11", "anyio", "idna", "sniffio", "certifi",
    "attrs", "typing-extensions", "exceptiongroup",
}  # fmt: skip

pytestmark = [
    pytest.mark.skipif(UV is None, reason="uv is installed by `bash tasks.sh setup`"),
    # One xdist worker builds the wheels once for the whole module.
    pytest.mark.xdist_group("packaging"),
]


def _uv(*args: str, cwd: Path = ROOT) -> str:
    assert UV is not None
    proc = subprocess.run(
        [UV, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=600
    )
    assert proc.returncode == 0, f"uv {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("wheels")
    for folder in PRODUCTS.values():
        _uv("build", "--quiet", "--wheel", "--out-dir", str(out), folder)
    built = {}
    for name in PRODUCTS:
        (wheel,) = out.glob(f"{name.replace('-', '_')}-*.whl")
        built[name] = wheel
    return built


def _venv_with(tmp: Path, *requirements: str, find_links: Path) -> Path:
    _uv("venv", "--quiet", "--python", sys.executable, str(tmp))
    python = tmp / "bin" / "python"
    _uv(
        "pip", "install", "--quiet", "--python", str(python), "--find-links", str(find_links),
        *requirements,
    )  # fmt: skip
    return python


def _installed(python: Path) -> dict[str, str]:
    listed = json.loads(_uv("pip", "list", "--python", str(python), "--format", "json"))
    return {item["name"].lower(): item["version"] for item in listed}


def _size_mb(venv: Path) -> float:
    site = next((venv / "lib").glob("python*/site-packages"))
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6


@pytest.fixture(scope="module")
def client_python(
    wheels: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    venv = tmp_path_factory.mktemp("client-venv")
    python = _venv_with(venv, "bria-tailored", find_links=wheels["bria-tailored"].parent)
    yield python


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "bria-mock"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/v1/tailored-gen/projects", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, "bria-mock exited at start-up"
                assert time.monotonic() < deadline, "bria-mock did not start within 30 s"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def readme_client_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using the client", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "README's 'Using the client' section has no python example"
    return match.group(1)


def test_the_client_installs_alone_with_its_two_dependencies(client_python: Path) -> None:
    installed = _installed(client_python)
    unexpected = set(installed) - CLIENT_CLOSURE
    assert not unexpected, f"installing bria-tailored pulled in {sorted(unexpected)}"
    assert {"bria-tailored", "httpx", "attrs"} <= set(installed)
    print(
        f"bria-tailored alone: {len(installed)} distributions, "
        f"{_size_mb(client_python.parents[1]):.1f} MB"
    )


USER_FLOW = Path(__file__).with_name("user_flow.py")


def _user_scripts(tmp_path: Path) -> list[Path]:
    readme = tmp_path / "readme_example.py"
    readme.write_text(readme_client_example(), encoding="utf-8")
    flow = tmp_path / USER_FLOW.name
    shutil.copyfile(USER_FLOW, flow)
    return [readme, flow]


def test_user_scripts_run_against_a_mock_process(
    client_python: Path, mock_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "BRIA_API_TOKEN": "packaging-test-token", "BRIA_BASE_URL": mock_url}
    outputs = []
    for script in _user_scripts(tmp_path):
        proc = subprocess.run(
            [str(client_python), str(script)],
            cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 0, f"{script.name}:\n{proc.stderr}"
        outputs.append(proc.stdout)
    project_id, ip_type = outputs[0].split()
    assert int(project_id) > 0 and ip_type == "defined_character"
    assert outputs[1].startswith("flow ok:") and outputs[1].rstrip().endswith("-> 404")


def test_user_scripts_pass_mypy_strict_against_the_installed_wheel(
    client_python: Path, tmp_path: Path
) -> None:
    # Run from an empty folder so the workspace's mypy settings (and its source paths) stay out.
    proc = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", "--python-executable",
         str(client_python), *map(str, _user_scripts(tmp_path))],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.matrix
def test_the_suite_installs_alone_and_runs_its_cli(wheels: dict[str, Path], tmp_path: Path) -> None:
    python = _venv_with(
        tmp_path / "suite-venv", "bria-conformance", find_links=wheels["bria-tailored"].parent
    )
    installed = _installed(python)
    assert {"bria-conformance", "bria-mock", "bria-tailored"} <= set(installed)
    assert not {"bria-build", "openapi-python-client", "ruff", "mypy"} & set(installed)
    print(f"bria-conformance: {len(installed)} distributions, {_size_mb(python.parents[1]):.1f} MB")
    report = tmp_path / "report.md"
    proc = subprocess.run(
        [str(python.parent / "bria-conformance"), "--only", "auth.token-invalid",
         "--max-examples", "1", "--stateful-examples", "1", "--report", str(report)],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert report.is_file() and "auth.token-invalid" in report.read_text(encoding="utf-8")


@pytest.mark.matrix
def test_the_mock_installs_without_the_suite(wheels: dict[str, Path], tmp_path: Path) -> None:
    python = _venv_with(
        tmp_path / "mock-venv", "bria-mock", find_links=wheels["bria-tailored"].parent
    )
    installed = _installed(python)
    assert not {"bria-conformance", "schemathesis", "hypothesis", "pytest"} & set(installed)
    print(f"bria-mock: {len(installed)} distributions, {_size_mb(python.parents[1]):.1f} MB")
    proc = subprocess.run(
        [str(python.parent / "bria-mock"), "--help"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0 and "bria-mock" in proc.stdout


def test_every_wheel_carries_the_license_text_and_the_declared_license(
    wheels: dict[str, Path],
) -> None:
    import zipfile

    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    for name, wheel in wheels.items():
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            licenses = [n for n in names if ".dist-info/licenses/" in n]
            assert [n.rsplit("/", 1)[-1] for n in licenses] == ["LICENSE"], (name, licenses)
            assert archive.read(licenses[0]).decode("utf-8") == text, name
            (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
            assert "License-Expression: MIT" in archive.read(metadata).decode("utf-8"), name
