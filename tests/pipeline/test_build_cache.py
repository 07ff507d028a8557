"""The build cache: a hit is the fresh build, every input is in the key, and a broken or
unwritable cache only costs a rebuild."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
import yaml
from bria_build import cli, pipeline
from bria_build.cache import BuildCache, Entry, Key
from bria_build.layout import Layout
from bria_build.pipeline import BuildOutput, run_pipeline

# One fresh build (the `warm` fixture) serves both modules, on one worker.
pytestmark = pytest.mark.xdist_group("fresh-build")

ROOT = Path(__file__).resolve().parents[2]

CLIENT = "generated/bria_tailored/client.py"


@pytest.fixture
def cache(warm: tuple[Path, BuildOutput], tmp_path: Path) -> BuildCache:
    """A private copy of the warm cache."""
    directory = tmp_path / "cache"
    shutil.copytree(warm[0], directory)
    return BuildCache(directory)


def _entries(cache: BuildCache) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(cache.directory.iterdir())}


def _key_holding(cache: BuildCache, name: str) -> str:
    """The key of the entry holding file ``name``."""
    for path in cache.directory.glob("*.entry"):
        entry = cache.load(path.name.removesuffix(".entry"))
        if entry is not None and name in entry.blobs:
            return path.name.removesuffix(".entry")
    raise AssertionError(f"no entry holds {name}")


def test_a_hit_is_the_fresh_build(
    project_copy: Layout, cache: BuildCache, warm: tuple[Path, BuildOutput]
) -> None:
    fresh = warm[1]
    hit = run_pipeline(project_copy, cache=cache)
    assert hit.cached
    assert hit.files == fresh.files
    assert list(hit.spec) == list(fresh.spec) and hit.spec == fresh.spec
    assert hit.merge_report == fresh.merge_report
    assert hit.traces == fresh.traces
    assert (hit.operations, hit.models) == (fresh.operations, fresh.models)
    assert hit == fresh


def test_the_summary_line_says_cached(
    project_copy: Layout,
    cache: BuildCache,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BRIA_BUILD_CACHE_DIR", str(cache.directory))
    assert cli.main(["--root", str(project_copy.root), "--check"]) == cli.EXIT_OK
    assert "recorded (cached, " in capsys.readouterr().out


def _edit_template(layout: Layout) -> None:
    template = layout.templates_dir / "client.py.jinja"
    template.write_text("# template edited\n" + template.read_text())


def _edit_overlay(layout: Layout) -> None:
    doc = {
        "overlay": "1.0.0",
        "info": {"title": "test", "version": "1"},
        "actions": [
            {"target": "$.info", "update": {"x-edited": "overlay"}, "description": "a test"}
        ],
    }
    (layout.overlays_dir / "99-test.yaml").write_text(yaml.safe_dump(doc))


def _edit_upstream(layout: Layout) -> None:
    bundle = json.loads(layout.upstream_bundle.read_text())
    bundle["info"]["x-edited"] = "upstream"
    layout.upstream_bundle.write_text(json.dumps(bundle, indent=2))


@pytest.mark.parametrize(
    ("edit", "generate", "shows"),
    [
        (_edit_template, True, lambda out: out.files[CLIENT].startswith(b"# template edited\n")),
        (_edit_overlay, False, lambda out: out.spec["info"]["x-edited"] == "overlay"),
        (_edit_upstream, False, lambda out: out.spec["info"]["x-edited"] == "upstream"),
    ],
    ids=["template", "overlay", "upstream"],
)
def test_an_edited_input_is_a_miss_with_the_new_output(
    project_copy: Layout,
    cache: BuildCache,
    edit: object,
    generate: bool,
    shows: object,
) -> None:
    assert callable(edit) and callable(shows)
    assert run_pipeline(project_copy, generate=generate, cache=cache).cached
    edit(project_copy)
    rebuilt = run_pipeline(project_copy, generate=generate, cache=cache)
    assert not rebuilt.cached
    assert shows(rebuilt)
    again = run_pipeline(project_copy, generate=generate, cache=cache)
    assert again.cached and again == rebuilt and shows(again)


def test_a_build_whose_overlays_drifted_comes_back_with_its_drift(
    project_copy: Layout, cache: BuildCache
) -> None:
    doc = {
        "overlay": "1.0.0",
        "info": {"title": "test", "version": "1"},
        "actions": [{"target": "$.paths['/gone']", "remove": True, "description": "a test"}],
    }
    (project_copy.overlays_dir / "99-drift.yaml").write_text(yaml.safe_dump(doc))
    drifted = run_pipeline(project_copy, cache=cache)
    assert not drifted.cached and drifted.files == {}
    assert [action.target for action in drifted.dead_actions] == ["$.paths['/gone']"]
    again = run_pipeline(project_copy, cache=cache)
    assert again.cached, "a drifted build is stored like any other"
    assert again == drifted  # the same drift, traces, spec and merge report; still no files


def test_an_edit_to_the_build_code_changes_both_steps_keys(
    project_copy: Layout,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warm: tuple[Path, BuildOutput],
) -> None:
    # A changed key is a miss and a rebuild (the edited-input tests show that part).
    spec_bytes = warm[1].files[pipeline.SPEC_FILE]

    def keys() -> tuple[str | None, str | None]:
        return (
            pipeline._spec_key(project_copy, None),
            pipeline._package_key(project_copy, spec_bytes),
        )

    copy = tmp_path / "bria_build"
    shutil.copytree(pipeline.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pipeline, "PACKAGE_DIR", copy)
    before = keys()
    assert None not in before and before == keys()  # the same sources: the same keys
    normalize = copy / "normalize.py"
    normalize.write_text(normalize.read_text() + "# edited\n")
    after = keys()
    assert before[0] != after[0], "the spec step's key must cover the build's code"
    assert before[1] != after[1], "the package step's key must cover the build's code"


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),
        lambda raw: b"",
        lambda raw: b"\x00garbage" * 10,
        lambda raw: raw.replace(b'"format": 1', b'"format": 999', 1),
    ],
    ids=["truncated", "flipped-byte", "empty", "garbage", "other-format"],
)
def test_a_damaged_entry_is_a_miss(tmp_path: Path, damage: object) -> None:
    assert callable(damage)
    cache = BuildCache(tmp_path)
    entry = Entry({"n": 1}, {"a": b"x" * 100, "b": b"yz"})
    cache.store("k", entry)
    assert cache.load("k") == entry
    cache.path("k").write_bytes(damage(cache.path("k").read_bytes()))
    assert cache.load("k") is None


def test_an_entry_under_another_key_is_a_miss(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.store("k", Entry({}, {"a": b"1"}))
    cache.path("k").rename(cache.path("other"))
    assert cache.load("other") is None


def test_a_damaged_entry_is_rebuilt(
    project_copy: Layout, cache: BuildCache, warm: tuple[Path, BuildOutput]
) -> None:
    package_entry = cache.path(_key_holding(cache, CLIENT))
    package_entry.write_bytes(package_entry.read_bytes()[:-100])
    rebuilt = run_pipeline(project_copy, cache=cache)
    assert not rebuilt.cached
    assert rebuilt == warm[1]
    assert run_pipeline(project_copy, cache=cache).cached  # the rebuild replaced it


def test_no_cache_neither_reads_nor_writes(
    project_copy: Layout,
    cache: BuildCache,
    warm: tuple[Path, BuildOutput],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Poison the package step's entry: a build that reads it reports client.py as stale.
    key = _key_holding(cache, CLIENT)
    entry = cache.load(key)
    assert entry is not None
    cache.store(key, Entry(entry.meta, {**entry.blobs, CLIENT: b"# poisoned\n"}))
    before = _entries(cache)
    monkeypatch.setenv("BRIA_BUILD_CACHE_DIR", str(cache.directory))
    given: list[BuildCache | None] = []
    real_pipeline = cli.run_pipeline

    def pipeline_spy(layout: Layout, *, cache: BuildCache | None = None) -> BuildOutput:
        given.append(cache)
        # Without a cache the pipeline builds afresh: that is the `warm` fixture's build.
        return warm[1] if cache is None else real_pipeline(layout, cache=cache)

    monkeypatch.setattr(cli, "run_pipeline", pipeline_spy)
    root = ["--root", str(project_copy.root)]
    assert cli.main([*root, "--check", "--no-cache"]) == cli.EXIT_OK
    assert given == [None], "--no-cache must build without the cache"
    assert "cached" not in capsys.readouterr().out
    assert _entries(cache) == before  # nothing written or replaced
    # With the cache the poisoned entry is read (the cache trusts its keys, not outputs).
    assert cli.main([*root, "--check"]) == cli.EXIT_STALE
    assert isinstance(given[-1], BuildCache) and given[-1].directory == cache.directory
    assert f"{CLIENT}: stale" in capsys.readouterr().err


def test_check_still_fails_on_a_hand_edited_file_with_a_warm_cache(
    project_copy: Layout, cache: BuildCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIA_BUILD_CACHE_DIR", str(cache.directory))
    target = project_copy.root / CLIENT
    target.write_text(target.read_text() + "# tweak\n")
    assert cli.main(["--root", str(project_copy.root), "--check", "-q"]) == cli.EXIT_STALE


def test_concurrent_writes_of_one_key_all_succeed(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    entry = Entry({"n": 1}, {f"f{i}": os.urandom(64 * 1024) for i in range(16)})
    cache.store("k", entry)
    start = threading.Barrier(6)
    failures: list[str] = []

    def write() -> None:
        start.wait()
        for _ in range(15):
            try:
                cache.store("k", entry)
            except Exception as exc:  # the test is that there are none
                failures.append(repr(exc))

    def read() -> None:
        start.wait()
        for _ in range(40):
            if cache.load("k") != entry:
                failures.append("a reader saw a partial entry")

    threads = [threading.Thread(target=write) for _ in range(3)]
    threads += [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert cache.load("k") == entry
    assert [p.name for p in tmp_path.iterdir()] == ["k.entry"]  # no temporary file left


def test_an_unusable_cache_directory_is_quiet(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("in the way")
    cache = BuildCache(not_a_dir / "cache")
    cache.store("k", Entry({}, {"a": b"1"}))  # no exception
    assert cache.load("k") is None


def test_only_the_most_recently_used_entries_are_kept(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, keep=3)
    past = time.time() - 1000
    for i in range(5):
        cache.store(f"k{i}", Entry({"i": i}))
        os.utime(cache.path(f"k{i}"), (past + i, past + i))
    assert sorted(p.name for p in tmp_path.glob("*.entry")) == ["k2.entry", "k3.entry", "k4.entry"]
    assert cache.load("k2") is not None  # used: now the newest
    cache.store("k5", Entry())
    assert sorted(p.name for p in tmp_path.glob("*.entry")) == ["k2.entry", "k4.entry", "k5.entry"]


def test_a_key_covers_labels_lengths_and_order() -> None:
    def digest(*parts: tuple[str, bytes]) -> str:
        key = Key("step")
        for label, data in parts:
            key.add(label, data)
        return key.hexdigest()

    assert digest(("a", b"12"), ("b", b"3")) != digest(("a", b"1"), ("b", b"23"))
    assert digest(("a", b"1"), ("b", b"2")) != digest(("b", b"2"), ("a", b"1"))
    assert digest(("a", b"1")) != digest(("c", b"1"))
    assert digest(("a", b"1")) == digest(("a", b"1"))
