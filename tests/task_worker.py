"""Run background tasks in a test (web and browser tests): django-tasks-db's own worker,
until the queue is empty."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker


def run_worker() -> None:
    """Run every queued task with the ``db_worker`` command's worker, then return."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
