"""Writing comments: add (or reply), resolve and reopen."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journeymap.web.comments.models import Comment
from journeymap.web.comments.targets import UnknownTargetError, describe_target
from journeymap.web.maps.models import Map
from journeymap.web.maps.selectors import document_of
from journeymap.web.summaries import Summary, gettext_noop, translate_summary
from journeymap.web.workspaces.services import record_activity

MAX_BODY = 5000


@transaction.atomic
def add_comment(
    *,
    journey_map: Map,
    author: AbstractBaseUser,
    target: str,
    body: str,
    parent: Comment | None = None,
) -> Comment:
    """A new comment on ``target`` of the map, or a reply to ``parent`` (same target)."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something.")})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": _("A comment has at most %(max)d characters.") % {"max": MAX_BODY}}
        )
    if parent is not None:
        if parent.map_id != journey_map.pk:
            raise ValidationError({"parent": _("The comment replied to is on another map.")})
        parent = parent.parent or parent  # replies stay one level deep
        target = parent.target
    try:
        where = describe_target(document_of(journey_map), target)
    except UnknownTargetError as exc:
        raise ValidationError({"target": translate_summary(exc.summary)}) from exc
    comment = Comment.objects.create(
        map=journey_map, target=target, parent=parent, body=body, author=author
    )
    record_activity(
        workspace=journey_map.workspace,
        actor=author,
        verb="comment.reply" if parent else "comment.add",
        summary=Summary(
            gettext_noop("%(map)s: replied on %(where)s")
            if parent
            else gettext_noop("%(map)s: commented on %(where)s"),
            map=journey_map.title,
            where=where,
        ),
        map_id=journey_map.pk,
    )
    return comment


@transaction.atomic
def set_resolved(*, comment: Comment, user: AbstractBaseUser, resolved: bool) -> Comment:
    """Resolve a thread (or reopen it); replies follow their thread."""
    thread = comment.parent or comment
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = user if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    record_activity(
        workspace=thread.map.workspace,
        actor=user,
        verb="comment.resolve" if resolved else "comment.reopen",
        summary=Summary(
            gettext_noop("%(map)s: resolved a comment")
            if resolved
            else gettext_noop("%(map)s: reopened a comment"),
            map=thread.map.title,
        ),
        map_id=thread.map_id,
    )
    return thread


@transaction.atomic
def delete_comment(*, comment: Comment, user: AbstractBaseUser) -> None:
    """Delete the user's own comment; a thread with replies by others stays (resolve it)."""
    if comment.author_id != user.pk:
        raise PermissionDenied(_("Only its author can delete a comment."))
    if comment.replies.exclude(author_id=user.pk).exists():
        raise ValidationError({"comment": _("Others replied to this thread: resolve it instead.")})
    record_activity(
        workspace=comment.map.workspace,
        actor=user,
        verb="comment.delete",
        summary=Summary(gettext_noop("%(map)s: deleted a comment"), map=comment.map.title),
        map_id=comment.map_id,
    )
    comment.delete()
