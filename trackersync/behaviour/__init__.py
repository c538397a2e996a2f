"""Behaviour tests of trackers (``trackersync test``) and conversation submissions
(``trackersync detect``), through Symbl's Async API.

Modules: :mod:`.cases` (the test formats, as data), :mod:`.target` (where tests run and
the managed tracker IDs there), :mod:`.evaluate` (judging detections, collisions,
coverage), :mod:`.runner` (the ``test`` flow), :mod:`.report` (text, JSON, JUnit,
GitHub, Markdown), :mod:`.detect` (the ``detect`` flow).
"""

from trackersync.behaviour.runner import BehaviourReport, run_behaviour_tests

__all__ = ["BehaviourReport", "run_behaviour_tests"]
