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
