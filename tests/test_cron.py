from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from digest.cron import crontab_trigger, day_of_week
from digest.subscriptions import SubscriptionError, parse_subscription

UTC = ZoneInfo("UTC")
FRIDAY = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("1", "mon"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("0,6", "sat,sun"),
        ("*/2", "tue,thu,sat,sun"),
        ("5-7", "fri,sat,sun"),
        ("*", "*"),
    ],
)
def test_weekdays_mean_what_cron_means(field, names):
    assert day_of_week(field) == names


@pytest.mark.parametrize("field", ["8", "5-1", "x", "1/0", "7-1"])
def test_bad_weekdays_are_refused(field):
    with pytest.raises(ValueError):
        day_of_week(field)


@pytest.mark.parametrize(
    ("expression", "weekday"),
    [
        ("0 9 * * 1", "Monday"),
        ("0 9 * * 0", "Sunday"),
        ("0 9 * * 7", "Sunday"),
        ("0 9 * * mon", "Monday"),
        ("30 8 * * 5", "Friday"),
    ],
)
def test_numeric_weekdays_fire_on_the_right_day(expression, weekday):
    fire = crontab_trigger(expression, UTC).get_next_fire_time(None, FRIDAY)
    assert fire.strftime("%A") == weekday


@pytest.mark.parametrize("expression", ["0 9 * *", "0 25 * * mon", "x" * 101, "0 9 * * 8"])
def test_bad_expressions_are_refused(expression):
    with pytest.raises(ValueError):
        crontab_trigger(expression, UTC)


def test_subscription_arguments():
    assert parse_subscription([]).schedule is None
    assert parse_subscription(["Europe/Paris"]).timezone == "Europe/Paris"
    request = parse_subscription(["0", "9", "*", "*", "1", "Asia/Tokyo"])
    assert (request.schedule, request.timezone) == ("0 9 * * 1", "Asia/Tokyo")
    for bad in (
        ["0", "9"],
        ["0", "9", "*", "*", "9"],
        ["Nowhere/City"],
        ["0", "9", "*", "*", "mon", "Nowhere/X"],
    ):
        with pytest.raises(SubscriptionError):
            parse_subscription(bad)
