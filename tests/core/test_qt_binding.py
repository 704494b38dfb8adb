"""The Qt binding survives the number of signals an ordinary day emits.

PySide6 6.12 on Python 3.11 drops a reference to ``True`` on every ``Signal.emit()``; the
process aborts ("Fatal Python error: bool_dealloc") after a few thousand. The emits run in a
child process, so an affected binding fails this test instead of killing the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

EMITS = 100_000

EMITTER = textwrap.dedent(
    f"""
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Emitter(QObject):
        value = Signal(object)
        flag = Signal(bool)

    app = QCoreApplication([])
    emitter = Emitter()
    received = []
    emitter.value.connect(received.append)
    emitter.flag.connect(received.append)
    for number in range({EMITS} // 2):
        emitter.value.emit(number)
        emitter.flag.emit(True)
    print(len(received))
    """
)


def test_a_hundred_thousand_emits_do_not_crash_the_process() -> None:
    done = subprocess.run([sys.executable, "-c", EMITTER], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"the Qt binding crashed after signals (exit {done.returncode}): {done.stderr[-400:]}"
    assert done.stdout.split() == [str(EMITS)]
