"""The demo as bin/demo loads it: the 2021 night, and the 2024 general election waiting for its replay."""

import pytest
from django.core.management import call_command

from liveblog.models import LiveBlog
from results.models import Contest, ExitPoll

pytestmark = pytest.mark.django_db


def test_the_demo_opens_with_the_2024_night_set_up_and_nothing_declared_and_loads_again_unchanged(client, capsys):
    call_command("load_demo")
    assert "bin/manage rehearse_general_election" in capsys.readouterr().out
    night = Contest.objects.filter(election__slug="parl.2024-07-04")
    assert night.count() == 650 and not night.filter(result__current__isnull=False).exists()
    assert not ExitPoll.objects.exists()  # the replay opens with it
    blog = LiveBlog.objects.get(slug="general-election-2024")
    assert blog.status == LiveBlog.Status.LIVE and not blog.posts.exists()
    assert [e.slug for e in blog.elections.all()] == ["parl.2024-07-04"]
    home = client.get("/").content.decode()
    assert 'href="/live/general-election-2024/"' in home and 'href="/live/hartlepool-by-election-2021/"' in home
    page = client.get("/results/parl.2024-07-04/")
    assert page.status_code == 200 and "0 of 650" in page.content.decode()

    posts = LiveBlog.objects.get(slug="hartlepool-by-election-2021").posts.count()
    call_command("load_demo")
    assert night.count() == 650 and LiveBlog.objects.get(slug="hartlepool-by-election-2021").posts.count() == posts
