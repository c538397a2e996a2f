"""Behaviour tests of trackers (``trackersync test``) and conversation submissions
(``trackersync detect``), through Symbl's Async API.

Modules: :mod:`.cases` (the test formats, as data), :mod:`.target` (where tests run and
the managed tracker IDs there), :mod:`.evaluate` (judging detections, collisions,
coverage), :mod:`.runner` (the ``test`` flow), :mod:`.report` (text, JSON, JUnit,
GitHub, Markdown), :mod:`.detect` (the ``detect`` flow), :mod:`.detect_report`.

Nothing is imported here, so that loading the CLI (which names these commands) stays
cheap; import the module you need.
"""
