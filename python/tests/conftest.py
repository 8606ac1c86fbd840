import os
import sys

# The package is built into build/python_packages (python/CMakeLists.txt);
# ctest sets PYTHONPATH, this makes a bare `pytest python/tests` work too.
_here = os.path.dirname(os.path.abspath(__file__))
_build = os.path.join(_here, "..", "..", "build", "python_packages")
if os.path.isdir(_build) and _build not in sys.path:
    sys.path.insert(0, os.path.abspath(_build))
