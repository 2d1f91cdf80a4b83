"""The Simplified Chinese catalogue is complete: every string the code marks has a translation.

makemessages runs on a copy of the package, so the committed catalogue is compared with what the
code marks today; a new string without a translation fails here, not in front of a user.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import kaoping

PACKAGE = Path(kaoping.__file__).parent


def test_zh_hans_catalogue_is_complete_and_current(tmp_path):
    copy = tmp_path / "kaoping"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kaoping.settings"}
    env["KAOPING_DEBUG"] = "1"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=copy,
        env=env,
        check=True,
    )
    po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    untranslated = re.search(r"(\d+) untranslated", stats)
    fuzzy = re.search(r"(\d+) fuzzy", stats)
    missing = [m for m in (untranslated, fuzzy) if m and int(m.group(1))]
    assert not missing, f"zh_Hans catalogue incomplete ({stats.strip()}); run make messages-update"
