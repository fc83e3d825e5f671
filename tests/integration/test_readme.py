"""The README is the front door: its example runs as written, its commands are where CI reads them,
and every document it points to exists."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(marker: str) -> str:
    match = re.search(re.escape(marker) + r"\n```bash\n(.+?)\n```", README)
    assert match, f"no bash block right after {marker} in README.md"
    return match.group(1)


def test_the_two_commands_are_where_ci_reads_them():
    assert _block_after("<!-- main-command -->").startswith('pip install ".[plot]" && trainlab run ')
    assert _block_after("<!-- test-command -->") == 'pip install ".[test]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci


def test_the_example_runs_as_written(tmp_path):
    example = re.search(r"```python\n(.+?)\n```", README, re.S).group(1)
    done = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    accuracy = float(done.stdout.strip().splitlines()[-1])
    assert 0.7 < accuracy <= 1.0


def test_every_linked_document_exists():
    links = re.findall(r"\]\(([^)#]+)\)", README)
    assert links
    missing = [link for link in links if not (ROOT / link).exists()]
    assert not missing


def test_it_stays_a_front_door():
    assert len(README.splitlines()) <= 150
    # measurements live in benchmarks/README.md and the docs, not here
    assert not re.search(r"\d+(\.\d+)? ?(ms|GFLOP/s)\b", README)
