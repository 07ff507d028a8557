"""The child process that runs openapi-python-client for a build.

Importing the generator costs more CPU than generating the client, so ``bria-build`` starts this
process before it builds the spec: the import runs while the spec is built, and the spec arrives
on standard input once it is ready. An empty input means no client is needed after all (the
package came from the build cache, or the spec step failed); the process then exits at once.

Usage (by the pipeline only): ``python -m bria_build.generator_child WORK CONFIG TEMPLATES``.
The spec is written to ``WORK/openapi.json`` and the package to ``WORK/bria_tailored``. Any
generator error or warning fails the build (exit 1), as ``--fail-on-warning`` does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .layout import PACKAGE_NAME


def main(argv: list[str]) -> int:
    work, config_path, templates = (Path(arg) for arg in argv)
    # The library itself, not its command line: the CLI framework is not needed here.
    from openapi_python_client import generate
    from openapi_python_client.config import Config, ConfigFile, MetaType

    spec = sys.stdin.buffer.read()
    if not spec:
        return 0
    spec_path = work / "openapi.json"
    spec_path.write_bytes(spec)
    config = Config.from_sources(
        ConfigFile.load_from_path(path=config_path),
        MetaType.NONE,
        spec_path,
        "utf-8",
        True,
        output_path=work / PACKAGE_NAME,
    )
    errors = generate(config=config, custom_template_path=templates)
    for error in errors:
        print(f"{error.level.value}: {error.header}", file=sys.stderr)
        if error.detail:
            print(f"  {error.detail}", file=sys.stderr)
        data = getattr(error, "data", None)
        if data is not None:
            shown = data.model_dump_json(indent=2, exclude_unset=True, by_alias=True)
            print(shown, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
