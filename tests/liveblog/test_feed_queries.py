"""The Atom feed reads each declaration's words as stored when it was declared: a fixed number of queries."""

import xml.etree.ElementTree as ET

import pytest

from results.models import Election
from tests.results.test_declared_once import declare_wards, queries_to_read

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_atom_feed_reads_a_fixed_number_of_queries_however_many_declarations(tmp_path, client, blog, results_desk):
    url = f"{blog.get_absolute_url()}feed/"
    declare_wards(tmp_path, 0, 1)
    blog.elections.add(Election.objects.get())
    declare_wards(tmp_path, 1, 3)
    with_two = queries_to_read(client, url)
    declare_wards(tmp_path, 3, 13)
    with_twelve = queries_to_read(client, url)
    assert with_twelve == with_two
    feed = ET.fromstring(client.get(url).content)  # noqa: S314 (our own feed)
    summaries = [entry.find(f"{ATOM}summary").text for entry in feed.findall(f"{ATOM}entry")]
    assert len(summaries) == 12
    assert "Con 12 (Con) wins Ward 12: Con GAIN from Lab. Majority 212 (11.1 points). Turnout 38.0%." in summaries
