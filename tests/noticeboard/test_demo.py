import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from association.tenancy import scopes_disabled
from governance.meetings.models import Meeting, Minutes
from governance.noticeboard.models import Posting

pytestmark = pytest.mark.django_db


def test_the_demo_boards_have_a_current_notice_and_earlier_ones_and_seed_once(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today = timezone.localdate()
    with scopes_disabled():
        for slug in ("norrbotten", "vasternorrland", "umearegionen"):
            postings = list(Posting.objects.filter(association__slug=slug))
            held = Meeting.objects.filter(association__slug=slug, starts_at__lt=timezone.now())
            if not held.exists():  # early January: no demo meeting held yet this year
                continue
            assert any(p.is_up(today) for p in postings), slug
            long_ago = timezone.now() - datetime.timedelta(days=50)
            if held.filter(starts_at__lt=long_ago).exists():
                assert any(p.comes_down_on < today for p in postings), slug
            # Every adjusted version has its notice.
            adjusted = Minutes.objects.filter(association__slug=slug, is_adjusted=True)
            assert adjusted.count() == len(postings)
        umea = Posting.objects.filter(association__slug="umearegionen").first()
        assert umea.appeal_days == 21 and "Renmarkstorget" in umea.kept_at
        before = Posting.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        assert Posting.objects.count() == before
    page = client.get("/umearegionen/anslagstavla/")
    assert page.status_code == 200 and "Renmarkstorget" in page.text
