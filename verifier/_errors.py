"""Errors the verifier raises; the CLI prints ``str(err)`` as one line.

::

    VerifierError
    ├── InputError       a workdir, report or event log that cannot be read as given
    └── SelfTestError    a task that cannot be self-tested (no reference tree)

``verifier.TaskError`` (a task file that does not load) is separate and older; the CLI
catches both. A check that cannot run (missing tool, timeout) is never an error: it is an
``inconclusive`` result inside the grade.
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base of the verifier's own errors."""


class InputError(VerifierError):
    """A path or file handed to the verifier is missing or unreadable."""


class SelfTestError(VerifierError):
    """A task lacks what its self-test needs."""
