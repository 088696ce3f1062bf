"""Makes the small .npy/.npz fixtures for dev.fvec.io tests. Run from this directory:

    python3 make_fixtures.py

Values are simple closed forms so the Java tests can check them independently.
"""
import io
import zipfile

import numpy as np
import numpy.lib.format as fmt

# (3, 4) float32, C order: a[r, c] = r * 10 + c + 0.25
c_f4 = (np.arange(3)[:, None] * 10 + np.arange(4)[None, :] + 0.25).astype('<f4')
np.save('c_f4.npy', c_f4)

# The writer's byte-for-byte reference: (7, 5) float32, a[r, c] = (5 r + c) / 8, and an empty (0, 5).
np.save('ref_7x5.npy', (np.arange(35, dtype='<f4').reshape(7, 5) / 8).astype('<f4'))
np.save('ref_0x5.npy', np.zeros((0, 5), dtype='<f4'))
np.save('ref_1d.npy', np.array([1.5, -2.0, 3.25], dtype='<f4'))

# float64 (2, 3): values that are exact in float32, and one (1/3) that rounds.
np.save('f8_2d.npy', np.array([[1.0, -2.5, 1.0 / 3.0], [1e-3, 65504.0, -0.0]], dtype='<f8'))
# float64 with a finite value beyond the float32 range at flat index 4 = [1, 1].
np.save('f8_overflow.npy', np.array([[0.0, 1.0, 2.0], [3.0, 1e300, 5.0]], dtype='<f8'))
# 1-D float64 with NaN and infinity, which pass through.
np.save('f8_nan_inf.npy', np.array([np.nan, np.inf, -np.inf, 7.0], dtype='<f8'))

# Big-endian float32 and float64 (2, 2): [[1, 2], [3, 4]] * 0.5.
np.save('be_f4.npy', (np.array([[1, 2], [3, 4]]) * 0.5).astype('>f4'))
np.save('be_f8.npy', (np.array([[1, 2], [3, 4]]) * 0.5).astype('>f8'))

# Unsupported content.
np.save('fortran.npy', np.asfortranarray(c_f4))
np.save('i4.npy', np.arange(6, dtype='<i4').reshape(2, 3))
np.save('three_d.npy', np.zeros((2, 3, 4), dtype='<f4'))
np.save('scalar.npy', np.float32(1.5))
np.save('structured.npy', np.zeros(2, dtype=[('a', '<f4'), ('b', '<f4')]))

# Header versions 2.0 and 3.0 of the same array as c_f4.
for version in [(2, 0), (3, 0)]:
    with open('c_f4_v%d.npy' % version[0], 'wb') as f:
        fmt.write_array(f, c_f4, version=version)

# Models: K = 2, D = 3, float64 as scikit-learn holds them.
weights = np.array([0.25, 0.75])
means = np.array([[0.0, 1.0, 2.0], [-1.0, 0.5, 4.0]])
covariances = np.array([[1.0, 2.0, 0.5], [0.25, 4.0, 1.5]])
np.savez('model_f8.npz', weights=weights, means=means, covariances=covariances)
np.savez_compressed('model_compressed.npz', weights=weights, means=means, covariances=covariances)
np.savez('model_missing_means.npz', weights=weights, covariances=covariances)
np.savez('model_shape_mismatch.npz', weights=weights, means=means, covariances=covariances[:, :2])
np.savez('model_bad_weights.npz', weights=np.array([0.5, 0.6]), means=means, covariances=covariances)

# An archive with the entry weights.npy twice (zipfile warns but writes it).
import warnings
with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    with zipfile.ZipFile('model_duplicate.npz', 'w') as z:
        for name, a in [('weights', weights), ('means', means), ('covariances', covariances), ('weights', weights)]:
            buf = io.BytesIO()
            np.save(buf, a)
            z.writestr(name + '.npy', buf.getvalue())
