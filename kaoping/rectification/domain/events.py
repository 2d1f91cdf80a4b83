"""Recording changes: an IssueEvent row and a simple_history entry with the same reason."""

from kaoping.rectification.models import Issue, IssueEvent


def save_with_event(issue: Issue, *, kind: str, by, note: str = "", fields=None) -> IssueEvent:
    """Save the issue (history records `by` and the event kind) and write its IssueEvent."""
    issue._history_user, issue._change_reason = by, kind
    if fields is None:
        issue.save()
    else:
        issue.save(update_fields=[*fields, "updated_at"])
    return IssueEvent.objects.create(issue=issue, kind=kind, by=by, note=note)
