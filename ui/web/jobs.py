"""Long jobs started from the page: real progress steps, and a Stop button that ends the work itself (the
job checks its token between steps), not only the browser's wait for it."""
import threading
from contextlib import contextmanager

from corpus.errors import ModeltermsError


class Cancelled(ModeltermsError):
    pass


class Job:
    def __init__(self, progress=None):
        self.stopped = threading.Event()
        self.progress = progress

    def check(self) -> None:
        if self.stopped.is_set():
            raise Cancelled("stopped: nothing was changed")

    def step(self, done: float, total: float, desc: str) -> None:
        """Reports a step (done of total) and ends the job here if Stop was pressed."""
        self.check()
        if self.progress is not None:
            self.progress((done, total) if total else None, desc=desc)

    def counter(self, desc: str):
        """A (done, total) callback for code that reports counts, e.g. clauses embedded or indexed."""
        return lambda done, total: self.step(done, total, desc)


class Jobs:
    """The running job of each browser session and tab: Stop sets its token."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running: dict[tuple[str, str], Job] = {}

    def start(self, session: str, tab: str, progress=None) -> Job:
        job = Job(progress)
        with self._lock:
            self._running[(session, tab)] = job
        return job

    def stop(self, session: str, tab: str) -> bool:
        with self._lock:
            job = self._running.pop((session, tab), None)
        if job is not None:
            job.stopped.set()
        return job is not None

    def done(self, session: str, tab: str, job: Job) -> None:
        with self._lock:
            if self._running.get((session, tab)) is job:
                del self._running[(session, tab)]

    @contextmanager
    def running(self, session: str, tab: str, progress=None):
        """A job for the length of a with block: started, and done however the block ends."""
        job = self.start(session, tab, progress)
        try:
            yield job
        finally:
            self.done(session, tab, job)
