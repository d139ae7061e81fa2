"""A regular install: build the wheel, install it into a fresh venv, run it from elsewhere.

This is what an operator does (`pip install glutamine_bot-*.whl`), and what `make`'s
editable install cannot show: the content must ship inside the package, `.env` is read from
the working directory, and nothing may reach into the source checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot.core import load_knowledge_base
from bot.core.responder import Responder

REPO = Path(__file__).resolve().parents[2]
# What a wheel is built from; a copy, so a stale build/ folder in the checkout cannot help.
SOURCES = ("bot", "content", "pyproject.toml", "setup.py", "README.md", "LICENSE")
QUESTION = "what is glutamine"
pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command, fail the test with its output when it fails, return its stdout."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and build tools
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, f"{command[:4]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a clean copy of the sources."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(REPO / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, source, cwd=source
    )
    [built] = dist.glob("glutamine_bot-*.whl")
    return built


@pytest.fixture(scope="module")
def bin_dir(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the locked runtime dependencies and the wheel into a fresh venv."""
    venv = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv)
    pip = (sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet")
    run(*pip, "--require-hashes", "-r", REPO / "requirements.lock", cwd=venv)
    run(*pip, "--no-deps", wheel, cwd=venv)
    return venv / "bin"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """Return an empty folder, far from the checkout, to run the installed command in."""
    return tmp_path


def installed(
    bin_dir: Path, cwd: Path, *args: str, **environ: str
) -> subprocess.CompletedProcess[str]:
    """Run the installed `glutamine-bot` with a bare environment (no token, no PYTHONPATH)."""
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.defpath}", "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(  # noqa: S603 - the command this wheel installs
        [str(bin_dir / "glutamine-bot"), *args],
        cwd=cwd,
        env={**env, **environ},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def source_files() -> set[str]:
    """Return the paths the wheel must hold: every module of bot/, every file of content/."""
    modules = {f"{p.relative_to(REPO)}" for p in (REPO / "bot").rglob("*.py")}
    content = {
        f"bot/content/{p.relative_to(REPO / 'content')}"
        for p in (REPO / "content").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    return modules | content


def test_the_wheel_ships_every_module_and_every_content_file(wheel: Path) -> None:
    """Nothing of bot/ or content/ is left behind, and the licence goes with it."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    shipped = {name for name in names if not name.startswith("glutamine_bot-")}

    assert source_files() - shipped == set(), "setup.py or package-data left them out"
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_the_installed_command_answers_from_another_folder(bin_dir: Path, elsewhere: Path) -> None:
    """`glutamine-bot ask` in an empty folder gives the same answer as the checkout."""
    expected = Responder(load_knowledge_base()).reply(QUESTION).text

    done = installed(bin_dir, elsewhere, "ask", QUESTION)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == expected + "\n"


def test_the_installed_package_is_the_wheel_not_the_checkout(
    bin_dir: Path, elsewhere: Path
) -> None:
    """The venv imports bot from its own site-packages."""
    where = run(bin_dir / "python", "-c", "import bot; print(bot.__file__)", cwd=elsewhere)

    assert Path(where.strip()).is_relative_to(bin_dir.parent)


def test_the_installed_check_validates_the_shipped_content(bin_dir: Path, elsewhere: Path) -> None:
    """`glutamine-bot check` finds the content inside the package and passes."""
    done = installed(bin_dir, elsewhere, "check")

    assert done.returncode == 0, done.stderr
    assert "content OK" in done.stdout.splitlines()


def test_content_dir_overrides_the_shipped_content(bin_dir: Path, elsewhere: Path) -> None:
    """CONTENT_DIR pointing at an empty folder: check reads that folder and fails."""
    empty = elsewhere / "empty"
    empty.mkdir()

    done = installed(bin_dir, elsewhere, "check", CONTENT_DIR=str(empty))

    assert done.returncode == 1
    assert f"{empty / 'article.yaml'}: cannot read file" in done.stderr


def test_the_env_file_is_read_from_the_working_directory(bin_dir: Path, elsewhere: Path) -> None:
    """A `.env` in the folder the command runs in is read (here: a bad log level)."""
    (elsewhere / ".env").write_text("LOG_LEVEL=LOUD\n", encoding="utf-8")

    done = installed(bin_dir, elsewhere, "check")

    assert done.returncode == 2
    assert "LOG_LEVEL must be one of" in done.stderr


def test_eval_without_files_says_which_sets_it_needs(bin_dir: Path, elsewhere: Path) -> None:
    """No tests/ folder in an install: eval names the missing held-out set and the shipped ones."""
    done = installed(bin_dir, elsewhere, "eval")

    assert done.returncode == 2
    assert "questions_holdout.yaml" in done.stderr
    assert "content/training/questions_dev.yaml" in done.stderr
    assert "Traceback" not in done.stderr


def test_eval_of_a_missing_file_says_it_is_missing(bin_dir: Path, elsewhere: Path) -> None:
    """`eval nonexistent.yaml` names the file, and does not call the content invalid."""
    done = installed(bin_dir, elsewhere, "eval", "nonexistent.yaml")

    assert done.returncode == 2
    assert "no such file" in done.stderr
    assert "nonexistent.yaml" in done.stderr
    assert "invalid" not in done.stderr
