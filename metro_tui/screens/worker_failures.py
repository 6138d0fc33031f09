"""Unexpected worker failures go to the app's one handler, whichever node ran the worker.

Textual tells only the node that started a worker when it fails (`Worker.StateChanged` does
not bubble), so a screen's workers would fail unseen. Screens that start workers mix this in
and pass the failure on.
"""

from __future__ import annotations

from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState


class WorkerFailed(Message):
    """A worker failed in a way no handler expected; the app shows it."""

    def __init__(self, worker: Worker[object]) -> None:
        super().__init__()
        self.worker = worker


class ReportsFailedWorkers:
    """For a `Screen`: its failed workers are reported to the app as `WorkerFailed`."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            assert isinstance(self, Screen)
            self.app.post_message(WorkerFailed(event.worker))
