"""The README's two commands stay true: CI runs exactly its test command, and its run command starts the server."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def section_command(title: str) -> str:
    """The shell command in the first ```sh block under the README heading ``title``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(title)}\n.*?```sh\n(.+?)\n```", text, re.S | re.M)
    assert m, f"README has no ```sh block under '## {title}'"
    return m.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    cmd = section_command("Test it")
    assert "pytest" in cmd and "pip install" in cmd, f"the test command must install and run pytest: {cmd}"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert cmd in ci.splitlines(), f".ci/run must run the README's test command verbatim: {cmd}"


def test_run_command_installs_and_serves() -> None:
    cmd = section_command("Run it")
    assert "pip install" in cmd and cmd.endswith("egovkg serve"), f"the run command must install and serve: {cmd}"
