#!/usr/bin/env python3
"""Writes the installed qc package as a wheel, with the standard library
only (no build backend to fetch), so that `pip install` puts it into any
virtual environment of the same Python:

  make_wheel.py PACKAGES_DIR TAG     # e.g. P/python_packages cp311-cp311-linux_x86_64

PACKAGES_DIR/qc holds the pure-Python modules, the extension _qc and its
libQCCAPI.so (found through the extension's RUNPATH, $ORIGIN); MLIR's and
LLVM's shared libraries stay where the build found them (Debian's
llvm-22 packages). The wheel is written to PACKAGES_DIR.
"""
import base64
import hashlib
import os
import sys
import zipfile

VERSION = "0.1.0"


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
    return "%s,sha256=%s,%d" % (name, digest.rstrip(b"=").decode(), len(data))


def main():
    root, tag = sys.argv[1], sys.argv[2]
    dist = "qc-%s.dist-info" % VERSION
    files = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "qc")):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for f in sorted(filenames):
            path = os.path.join(dirpath, f)
            files.append((os.path.relpath(path, root), path))
    meta = {
        dist + "/METADATA": "Metadata-Version: 2.1\nName: qc\nVersion: %s\n"
        "Summary: qc, a quantization compiler on MLIR: Python bindings\n"
        "Requires-Python: >=3.9\nRequires-Dist: numpy\n" % VERSION,
        dist + "/WHEEL": "Wheel-Version: 1.0\nGenerator: qc make_wheel.py\n"
        "Root-Is-Purelib: false\nTag: %s\n" % tag,
    }
    out = os.path.join(root, "qc-%s-%s.whl" % (VERSION, tag))
    records = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, path in files:
            with open(path, "rb") as fh:
                data = fh.read()
            info = zipfile.ZipInfo(name)
            info.external_attr = (os.stat(path).st_mode & 0o777) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
            records.append(record_line(name, data))
        for name, text in meta.items():
            z.writestr(name, text)
            records.append(record_line(name, text.encode()))
        records.append(dist + "/RECORD,,")
        z.writestr(dist + "/RECORD", "\n".join(records) + "\n")
    print("qc wheel: " + out)


if __name__ == "__main__":
    main()
