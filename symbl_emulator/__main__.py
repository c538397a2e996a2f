"""``python -m symbl_emulator``: see :mod:`symbl_emulator.cli` and :mod:`.entry`."""

from symbl_emulator.entry import run

run()
