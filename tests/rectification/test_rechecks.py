"""Re-checks (回头看): closed issues come back on their date; a failure reopens."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kaoping.rectification.domain.overview import organizer_queue, reminders_for
from kaoping.rectification.domain.rechecks import (
    add_months,
    fail_recheck,
    pass_recheck,
    schedule_recheck,
)
from kaoping.rectification.domain.work import close_issue, request_closure, save_plan
from kaoping.rectification.models import Issue
from tests.rectification.conftest import TODAY

pytestmark = pytest.mark.django_db
CLOSED_ON = datetime.date(2026, 3, 10)


@pytest.fixture
def closed(issue, branch_user, alice):
    save_plan(issue=issue, by=branch_user, measures="补齐", owner="张书记",
              deadline=datetime.date(2026, 3, 20))  # fmt: skip
    request_closure(issue=issue, by=branch_user)
    close_issue(issue=issue, by=alice, closed_on=CLOSED_ON, day=CLOSED_ON)
    return issue


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


def test_a_scheduled_recheck_reappears_on_its_date(closed, alice):
    on = datetime.date(2026, 6, 1)
    schedule_recheck(issues=[closed], by=alice, on=on, day=CLOSED_ON)
    assert organizer_queue(alice, on - datetime.timedelta(days=1))["rechecks"] == []
    assert [i.pk for i in organizer_queue(alice, on)["rechecks"]] == [closed.pk]


def test_every_n_months_repeats_after_a_pass(closed, alice):
    schedule_recheck(issues=[closed], by=alice, every_months=3, day=CLOSED_ON)
    assert closed.recheck_on == datetime.date(2026, 6, 10)
    with pytest.raises(ValidationError):
        pass_recheck(issue=closed, by=alice, day=datetime.date(2026, 6, 9))
    pass_recheck(issue=closed, by=alice, day=datetime.date(2026, 6, 10))
    assert (closed.state, closed.recheck_on) == ("closed", datetime.date(2026, 9, 10))


def test_schedule_needs_a_date_or_months(closed, alice):
    with pytest.raises(ValidationError) as err:
        schedule_recheck(issues=[closed], by=alice, day=CLOSED_ON)
    assert "on" in err.value.message_dict


def test_a_failed_recheck_reopens_with_a_new_deadline(closed, alice, branch_user):
    on, new = datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)
    schedule_recheck(issues=[closed], by=alice, on=on, day=CLOSED_ON)
    fail_recheck(issue=closed, by=alice, reason="台账又缺了", deadline=new, day=on)
    closed.refresh_from_db()
    assert (closed.state, closed.deadline, closed.deadline_limit, closed.closed_on,
            closed.recheck_on, closed.reopened) == ("open", new, new, None, None, 1)  # fmt: skip
    assert [i.pk for i in reminders_for(branch_user, on).returned] == [closed.pk]
    assert closed.events.last().kind == "recheck_failed"


def test_remind_mails_when_mail_is_configured(issue, branch_user, settings, capsys):
    settings.EMAIL_HOST = "mail.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    branch_user.email = "baisha@example.org"
    branch_user.save()
    Issue.objects.filter(pk=issue.pk).update(deadline=TODAY)
    call_command("remind", "--day", "2026-03-02")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["baisha@example.org"]
    assert "[Overdue]" in mail.outbox[0].body
    assert "1 users with reminders on 2026-03-02; 1 e-mails sent." in capsys.readouterr().out


def test_remind_sends_nothing_without_mail(issue, branch_user, settings, capsys):
    settings.EMAIL_HOST = ""
    branch_user.email = "baisha@example.org"
    branch_user.save()
    call_command("remind", "--day", "2026-03-30")
    assert mail.outbox == []
    assert "0 e-mails not sent (mail is not configured)" in capsys.readouterr().out
