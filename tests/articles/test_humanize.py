"""Times in words for long lists: the same words as the `timesince` filter."""

from datetime import timedelta

from django.template.defaultfilters import timesince_filter
from django.utils import timezone

from articles.humanize import times_since


def test_times_since_says_what_the_timesince_filter_says():
    now = timezone.now()
    moments = [now - timedelta(minutes=m) for m in (0, 1, 59, 61, 60 * 24, 60 * 24 * 9, 60 * 24 * 40, 60 * 24 * 800)]
    moments.append(now + timedelta(days=1))  # in the future: "0 minutes", as the filter says
    assert times_since(moments) == [timesince_filter(moment) for moment in moments]


def test_times_since_repeats_a_phrase_for_equal_numbers():
    now = timezone.now()
    first, second = times_since([now - timedelta(days=3), now - timedelta(days=3, minutes=1)])
    assert first == second == timesince_filter(now - timedelta(days=3))
