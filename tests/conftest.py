import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def make_workspace(dest: Path, case: str | None = None) -> Path:
    """A copy of the small valid base workspace (with the real data package), overlaid with a defect case."""
    shutil.copytree(DATA / "base", dest, dirs_exist_ok=True)
    shutil.copy(REPO / "participants" / "datapackage.yaml", dest / "participants" / "datapackage.yaml")
    if case:
        shutil.copytree(DATA / "bad" / case, dest, dirs_exist_ok=True)
    return dest


@pytest.fixture
def base_workspace(tmp_path) -> Path:
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def mailbox():
    """A local SMTP server on 127.0.0.1 for one test: (the mailbox it delivers to, its controller)."""
    from smtp_helpers import Mailbox, start

    box = Mailbox()
    controller = start(box)
    yield box, controller
    controller.stop()
