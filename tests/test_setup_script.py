"""scripts/setup, for the choice of interpreter (the rest of it runs every time the tests are set up)."""
import os
import shutil
import subprocess
import sys

from tests.conftest import REPO


def test_a_python_that_does_not_run_stops_setup_and_keeps_the_venv(tmp_path):
    """PYTHON=... makes .venv again with that interpreter: never delete a working one for a typo."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "setup", tmp_path / "scripts" / "setup")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    os.symlink(sys.executable, tmp_path / ".venv" / "bin" / "python")
    done = subprocess.run([str(tmp_path / "scripts" / "setup")], capture_output=True, text=True,
                          env={**os.environ, "PYTHON": "/nowhere/python3"}, check=False)
    assert done.returncode == 2
    assert done.stderr == ("scripts/setup: error: PYTHON=/nowhere/python3 does not run: "
                           "give the path of a Python 3.11 or later\n")
    assert (tmp_path / ".venv" / "bin" / "python").exists()


def test_an_unknown_argument_stops_setup_before_it_installs_anything(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "setup", tmp_path / "scripts" / "setup")
    done = subprocess.run([str(tmp_path / "scripts" / "setup"), "tests"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == "scripts/setup: error: unknown argument 'tests': give nothing, test or bench, and optionally --newest\n"
    assert not (tmp_path / ".venv").exists()
