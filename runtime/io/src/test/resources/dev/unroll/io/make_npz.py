"""Writes the NumPy-made test files of NpzTest. Run with Debian's python3-numpy:

    apt-get install -y python3-numpy
    /usr/bin/python3 make_npz.py

numpy-savez.npz (stored entries, numpy.savez) and numpy-savez-compressed.npz (deflated entries,
numpy.savez_compressed) hold the same arrays; NpzTest checks every value below. numpy-fortran.npz
holds one array in Fortran order, which Npz must refuse.
"""
import numpy as np

arrays = {
    "lstm/kernel": np.arange(6, dtype="<f8").reshape(2, 3) / 8.0 - 0.25,   # float64, (2, 3)
    "float32": np.array([0.5, -1.25, 3.0, 1e-3], dtype="<f4"),            # float32, (4,)
    "big_endian": np.array([[1.5, -2.0], [1e300, -0.0]], dtype=">f8"),    # big-endian float64, (2, 2)
    "scalar": np.float64(3.25),                                           # shape ()
    "labels": np.array([0, 2, 1], dtype="<i8"),                           # int64 class indices
    "empty": np.zeros((0, 4), dtype="<f8"),                               # no values
}
np.savez("numpy-savez.npz", **arrays)
np.savez_compressed("numpy-savez-compressed.npz", **arrays)
# Fortran order, which Npz refuses with a message
np.savez("numpy-fortran.npz", f=np.asfortranarray(np.arange(6.0).reshape(2, 3)))
print("numpy", np.__version__)
