"""Fault injection for the real-worker tests, loaded only by the worker processes those tests start
(PYTHONPATH points here when LUMBUNG_FAULT_KILL_AT is set; nothing in the product imports it).

LUMBUNG_FAULT_KILL_AT="<job kind prefix>:<step>": on the first attempt of a job whose kind starts
with the prefix, the process kills itself with SIGKILL as soon as the task reports `step` done,
exactly as `kill -9` from outside would at that moment, but at a point the test chooses.
LUMBUNG_FAULT_KILL_ATTEMPTS="2": also on the second attempt (a retried job that dies again).
"""

import os

_FAULT = os.environ.get("LUMBUNG_FAULT_KILL_AT", "")
_ATTEMPTS = int(os.environ.get("LUMBUNG_FAULT_KILL_ATTEMPTS", "1"))

if _FAULT:
    import signal

    import django

    _setup = django.setup

    def setup(*args, **kwargs):
        _setup(*args, **kwargs)
        from lumbung.core import jobs

        prefix, _sep, at = _FAULT.rpartition(":")
        step = jobs.JobHandle.step

        def step_or_die(handle, done, total=None, message=""):
            step(handle, done, total, message)
            if handle.job.kind.startswith(prefix) and handle.job.attempts <= _ATTEMPTS and done >= int(at):
                os.kill(os.getpid(), signal.SIGKILL)

        jobs.JobHandle.step = step_or_die

    django.setup = setup
