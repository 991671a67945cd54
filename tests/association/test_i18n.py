from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent.parent / "locale"


def test_swedish_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert len(catalogue) > 300
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def test_swedish_placeholders_match_the_english():
    catalogue = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    import re

    placeholder = re.compile(r"%\(\w+\)[sdf]|%\(\w+\)\.\d+f")
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(placeholder.findall(entry.msgid)) == sorted(
            placeholder.findall(entry.msgstr)
        ), entry.msgid


def test_pages_render_in_swedish(client, db):
    from tests import factories

    factories.make_association("norrbotten", name="Norrbottens Kommuner")
    page = client.get("/norrbotten/organ/").text
    assert "Organisation" in page
    assert "Tillgänglighetsredogörelse" in page
    assert "Accessibility statement" not in page


def test_every_translatable_string_is_in_the_swedish_catalogue(tmp_path):
    """makemessages on a copy of the code: a new string without a Swedish translation fails."""
    import os
    import shutil
    import subprocess
    import sys

    import pytest

    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is missing; .ci/run installs it")
        pytest.skip("GNU gettext (xgettext) is not installed on this machine")
    root = LOCALE.parent
    copy = tmp_path / "project"
    shutil.copytree(
        root, copy,
        ignore=shutil.ignore_patterns(".venv", ".local", ".git", "staticfiles", "node_modules",
                                      "__pycache__", "tests", "bench"),
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-obsolete"],
        cwd=copy, capture_output=True, text=True, timeout=300,
        env={**os.environ, "DEBUG": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh if not e.translated() and not e.obsolete]
    missing += [e.msgid for e in fresh.fuzzy_entries()]
    assert not missing, f"run makemessages and translate: {missing}"
