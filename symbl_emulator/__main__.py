"""``python -m symbl_emulator``: see :mod:`symbl_emulator.cli`."""

from symbl_emulator.cli import main

main()
