"""The progress page and its SVG charts, as the patient sees them."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from backcare.accounts.models import User
from backcare.care.actions import do_check_in, do_save_assessment, do_start_plan
from backcare.care.models import CheckIn, Plan, ProgressionStep
from backcare.care.weeks import fill_weeks
from backcare.domain.checkin import CheckIn as CheckInValue
from backcare.lib.timezones import local_now, local_today
from tests.domain.people import assessment, startback
from tests.web.people import People, clinic_for, logged_in, staff_client, today_of

pytestmark = pytest.mark.django_db

CHARTS = ("pain", "spasms", "exercise", "startback")
SVG = "{http://www.w3.org/2000/svg}svg"


def reassess(user: User, days_ago: int, **overrides: Any) -> Plan:
    """A new check and plan for `user`, taken `days_ago` days ago by their own calendar."""
    # Aware arithmetic keeps the wall clock, so this is the same local time that many days back,
    # even across a change to or from summer time.
    at = local_now(user, timezone.now()) - timedelta(days=days_ago)
    record = do_save_assessment(user, user.patient, assessment(**overrides), now=at)
    return do_start_plan(user, user.patient, record, today=local_today(user, at), now=at)


def check_in(user: User, on: date, *, pain: int, episodes: int, exercised: bool = True) -> None:
    plan = Plan.objects.get(patient__user=user, is_active=True)
    done = [{"exercise": p["exercise"], "sets": 1} for p in plan.state["prescriptions"]]
    value = {
        "date": on.isoformat(),
        "pain_now": pain,
        "spasm_episodes": episodes,
        "exercises_done": done if exercised else [],
        "new_warning_signs": [],
    }
    if exercised:
        value["pain_during_exercise"] = 2
    do_check_in(
        user, user.patient, CheckInValue.model_validate_json(json.dumps(value)), now=timezone.now()
    )


def a_few_days(user: User) -> None:
    """Three days in after a check with pain 4: pain 3, 2, 1, fewer spasms, one day off."""
    plan = reassess(user, 2, onset_days=4, pain_now=4, startback=startback(agree=2))
    for day, (pain, episodes) in enumerate([(3, 3), (2, 2), (1, 1)]):
        on = plan.created_on + timedelta(days=day)
        check_in(user, on, pain=pain, episodes=episodes, exercised=day != 1)


def svg_of(response: Any) -> ElementTree.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    text = response.content.decode()
    assert "<script" not in text.lower()
    root = ElementTree.fromstring(text)
    assert root.tag == SVG
    return root


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_the_page_shows_the_summary_first_then_the_charts_with_their_numbers(
    team: People,
) -> None:
    a_few_days(team.maya)
    summary = ProgressionStep.objects.filter(plan__patient__user=team.maya).latest("created_at")
    first_line = summary.result["trend"]["summary"][0]
    assert "meaningful improvement" in first_line

    page = logged_in(team.maya).get(reverse("progress"))
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(first_line) in html
    assert html.index(escape(first_line)) < html.index('class="chart-section"')
    for slug in ("pain", "spasms", "exercise", "startback"):
        assert f'src="{reverse("progress_chart", args=[slug])}"' in html
    assert html.count("<summary>See the numbers</summary>") == 4
    assert '<th scope="col">Average pain, 0 to 10</th>' in html and "<caption>" in html
    assert "Pain fell from 3 to 1 out of 10 over 3 days" in html  # the pain chart's alt text
    assert "2 points or 30% below where you started" in html
    assert "Week 1 (from" in html and "<td>2</td>" in html  # two exercise days in week 1
    assert ' style="' not in html and "<script" not in html
    assert "progress.css" in html


def test_before_any_check_in_it_says_what_to_do(team: People) -> None:
    html = logged_in(team.maya).get(reverse("progress")).content.decode()
    assert "Check in daily to see your progress here" in html
    assert reverse("progress_chart", args=["pain"]) not in html
    assert reverse("progress_chart", args=["startback"]) not in html  # she skipped STarT Back


def test_before_any_check_in_a_startback_score_is_already_shown(team: People) -> None:
    reassess(team.maya, 0, pain_now=4, startback=startback(agree=2, distress_agree=1))
    client = logged_in(team.maya)
    html = client.get(reverse("progress")).content.decode()
    assert "Check in daily to see your progress here" in html
    assert reverse("progress_chart", args=["startback"]) in html
    assert "STarT Back score 3 out of 9" in html
    svg_of(client.get(reverse("progress_chart", args=["startback"])))


def test_the_startback_chart_is_404_without_a_score(team: People) -> None:
    url = reverse("progress_chart", args=["startback"])
    assert logged_in(team.sam).get(url).status_code == 404


def test_every_chart_is_a_parseable_svg_without_scripts(team: People) -> None:
    a_few_days(team.maya)
    client = logged_in(team.maya)
    for slug in CHARTS:
        root = svg_of(client.get(reverse("progress_chart", args=[slug])))
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text
    pain = client.get(reverse("progress_chart", args=["pain"])).content.decode()
    assert "meaningful improvement" in pain and "where you started, 4/10" in pain


def test_the_page_csp_stays_strict_and_charts_allow_only_inline_style(team: People) -> None:
    a_few_days(team.maya)
    client = logged_in(team.maya)
    page = directives(client.get(reverse("progress"))["Content-Security-Policy"])
    assert not [name for name, values in page.items() if "'unsafe-inline'" in values]
    chart = directives(
        client.get(reverse("progress_chart", args=["pain"]))["Content-Security-Policy"]
    )
    assert "'unsafe-inline'" in chart["style-src"]
    unsafe = [name for name, values in chart.items() if "'unsafe-inline'" in values]
    assert unsafe == ["style-src"]
    assert chart["script-src"] == page["script-src"]


def test_charts_show_only_your_own_data(team: People) -> None:
    a_few_days(team.maya)
    sam_plan = reassess(team.sam, 2, onset_days=3, pain_now=3)
    for day in range(3):
        check_in(team.sam, sam_plan.created_on + timedelta(days=day), pain=7, episodes=9)
    maya, sam = logged_in(team.maya), logged_in(team.sam)
    for slug in ("pain", "spasms", "exercise"):
        url = reverse("progress_chart", args=[slug])
        assert svg_of(maya.get(url)) is not None
        mine, again, his = (c.get(url).content.decode() for c in (maya, maya, sam))
        assert _without_ids(mine) == _without_ids(again)
        assert _without_ids(mine) != _without_ids(his)
    sam_pain = sam.get(reverse("progress_chart", args=["pain"])).content.decode()
    assert "where you started, 3/10" in sam_pain and "where you started, 4/10" not in sam_pain
    sam_page = sam.get(reverse("progress")).content.decode()
    assert "Pain stayed at 7 out of 10 over 3 days" in sam_page
    assert "fell from 3 to 1" not in sam_page
    eve = logged_in(team.eve)
    for slug in CHARTS:
        assert eve.get(reverse("progress_chart", args=[slug])).status_code == 404


def _without_ids(svg: str) -> str:
    """pygal gives every chart a random id; compare the drawings, not the ids."""
    root = ElementTree.fromstring(svg)
    root.attrib.pop("id", None)
    return ElementTree.tostring(root, encoding="unicode")


def test_an_unknown_chart_is_404(team: People) -> None:
    response = logged_in(team.maya).get(reverse("progress_chart", args=["cholesterol"]))
    assert response.status_code == 404


def test_the_page_and_charts_need_a_login_and_a_plan(team: People) -> None:
    anonymous = Client()
    for url in [reverse("progress")] + [reverse("progress_chart", args=[s]) for s in CHARTS]:
        response = anonymous.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    response = logged_in(team.eve).get(reverse("progress"), follow=True)
    assert response.redirect_chain[0] == (reverse("check_start"), 302)
    assert "Take the check first" in response.content.decode()


def test_a_reassessment_prompt_comes_two_weeks_after_the_last_check(team: People) -> None:
    client = logged_in(team.maya)
    html = client.get(reverse("progress")).content.decode()
    assert "Time to re-assess" not in html and "Your next check is due on" in html
    plan = Plan.objects.get(patient__user=team.maya, is_active=True)
    plan.checked_on = today_of(team.maya) - timedelta(days=14)
    plan.save(update_fields=["checked_on"])
    html = client.get(reverse("progress")).content.decode()
    assert "Time to re-assess" in html and "14 days since your last check" in html
    assert f'href="{reverse("check_start")}?restart=1"' in html


def sixty_days(user: User) -> None:
    days_of(user, 60)


def days_of(user: User, days: int) -> None:
    """A plan begun `days` - 1 days ago with a check-in every day, today's through the form."""
    plan = reassess(user, days - 1, onset_days=4, pain_now=6, startback=startback(agree=3))
    CheckIn.objects.bulk_create(
        CheckIn(
            patient=user.patient,
            date=plan.created_on + timedelta(days=day),
            pain_now=max(0, 6 - day // 10),
            spasm_episodes=day % 4,
            exercises_done=[{"exercise": "bridge", "sets": 1}] if day % 3 else [],
            new_warning_signs=[],
            created_at=timezone.now(),
        )
        for day in range(days - 1)
    )
    fill_weeks(plan)  # written in bulk, as demo data is: the summaries are made once after
    check_in(user, today_of(user), pain=1, episodes=0)
    assert CheckIn.objects.filter(patient__user=user, date__gte=plan.created_on).count() == days


def week_rows(html: str) -> list[int]:
    """The week numbers in the page's weekly tables' rows, in order."""
    return [int(n) for n in re.findall(r'<tr><th scope="row">Week (\d+) \(from', html)]


def test_a_long_episode_tables_its_latest_twelve_weeks_and_links_to_every_week(
    team: People,
) -> None:
    days_of(team.maya, 120)  # day 120 is in week 18
    client = logged_in(team.maya)
    html = client.get(reverse("progress")).content.decode()
    assert week_rows(html) == list(range(7, 19)) * 3  # pain, spasms, exercise: weeks 7 to 18
    assert html.count("the latest 12 weeks</caption>") == 3
    every = f'href="{reverse("progress")}?weeks=all#chart-pain"'
    assert every in html and "(6 earlier weeks too)" in html
    assert "Pain fell from 6 to 1 out of 10 over 120 days" in html  # the chart still has all
    # The exercise chart's words: the average over the 17 whole weeks, then the latest 12.
    words = re.search(r'alt="(Days with exercise[^"]*)"', html)
    assert words is not None
    assert "out of 7: 4.6 on average over 17 whole weeks. The latest 12: Week 7 (from" in words[1]
    assert "Week 6 (" not in words[1] and words[1].count("Week ") == 12
    assert '<details class="chart-numbers">' in html  # closed until asked for

    html = client.get(reverse("progress"), {"weeks": "all"}).content.decode()
    assert week_rows(html) == list(range(1, 19)) * 3
    assert html.count('<details class="chart-numbers" open>') == 3  # the weekly ones, opened
    assert f'href="{reverse("progress")}#chart-pain">Show only the latest 12 weeks' in html

    for stray in ("ALL", "1", ""):  # anything else is the usual page, never an error
        page = client.get(reverse("progress"), {"weeks": stray})
        assert page.status_code == 200 and week_rows(page.content.decode())[0] == 7


def test_a_short_episode_has_no_every_week_link(team: People) -> None:
    sixty_days(team.maya)  # nine weeks: all of them fit
    html = logged_in(team.maya).get(reverse("progress"), {"weeks": "all"}).content.decode()
    assert week_rows(html) == list(range(1, 10)) * 3
    assert "See every week" not in html and "Show only the latest" not in html
    assert " open>" not in html


def test_the_clinic_record_tables_the_same_weeks(team: People) -> None:
    days_of(team.maya, 120)
    clinic = clinic_for(team.maya)
    url = reverse("clinic_patient", args=[team.maya.patient.pk])
    html = staff_client(clinic.priya).get(url).content.decode()
    assert week_rows(html) == list(range(7, 19)) * 3
    assert f'href="{url}?weeks=all#chart-pain"' in html
    html = staff_client(clinic.priya).get(url, {"weeks": "all"}).content.decode()
    assert week_rows(html) == list(range(1, 19)) * 3


def test_the_page_makes_a_small_fixed_number_of_queries(
    team: People, django_assert_max_num_queries: Any
) -> None:
    sixty_days(team.maya)
    client = logged_in(team.maya)
    with django_assert_max_num_queries(8):  # session, user, plan, check-ins, step, checks
        page = client.get(reverse("progress"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<tr>") >= 3 * 9  # nine weeks in the pain, spasm and exercise tables
    assert "Week 9 (from" in html and "Pain fell from 6 to 1 out of 10 over 60 days" in html


def test_each_chart_makes_a_small_fixed_number_of_queries(
    team: People, django_assert_max_num_queries: Any
) -> None:
    sixty_days(team.maya)
    client = logged_in(team.maya)
    for slug in CHARTS:
        with django_assert_max_num_queries(5):  # session, user, plan, one data query
            svg_of(client.get(reverse("progress_chart", args=[slug])))
