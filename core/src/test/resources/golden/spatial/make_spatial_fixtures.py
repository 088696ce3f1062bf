#!/usr/bin/python3
"""Fixtures for the spatial layout (docs/SPEC.md, "Spatial layout"): an independent float64
NumPy transcription of the spec, run once; its outputs are committed and the Java tests only read
them.  Run with a python3 that has NumPy (here /usr/bin/python3, numpy 1.24):

    cd core/src/test/resources/golden/spatial && /usr/bin/python3 make_spatial_fixtures.py
    (add the argument 'files' to remake only the small reader fixtures under files/)

Each case directory holds
  model.npz        weights, means, covariances, spatial_means, spatial_variances (float32)
  image.npz        descriptors (N, D) float32, positions (N, 2) float32 (x, y pixels), image_size (2,) int64
  expected_<form>_<norm>_<layout>_<sp>.npy   float64 vectors
where <layout> is the layout with ',' -> '+' and <sp> is 'plain', 'spatial' (the model's spatial
Gaussians) or 'uniform' (m = 0.5, S = 1/12).
"""
import os
import numpy as np

LOG_2PI = np.log(2 * np.pi)


def renormalised(w32):
    # The model as the library holds it: float32 weights divided by their float64 sum, back to float32.
    w = w32.astype(np.float64)
    return (w / w.sum()).astype(np.float32).astype(np.float64)


def posteriors(X, w, mu, var, sparsity):
    """SPEC "Posteriors": log p_k(x), log-sum-exp with the max shift, then the sparsification."""
    lp = np.log(w)[None, :] - 0.5 * (
        LOG_2PI * X.shape[1] + np.log(var).sum(1)[None, :]
        + (((X[:, None, :] - mu[None, :, :]) ** 2) / var[None, :, :]).sum(2))
    mx = lp.max(1, keepdims=True)
    lse = mx + np.log(np.exp(lp - mx).sum(1, keepdims=True))
    q = np.exp(lp - lse)
    if sparsity == 'hard':
        h = np.zeros_like(q)
        h[np.arange(len(q)), lp.argmax(1)] = 1.0  # argmax: ties to the lowest index
        return h
    q[q < sparsity] = 0.0
    return q


def cell_index(v, n, size):
    """The largest i < n with i * size <= n * v, compared exactly (v is a float32 value)."""
    i = n - 1
    while i > 0 and i * float(size) > n * float(v):
        i -= 1
    return i


def appearance(form, q, X, w, mu, var):
    N = len(X)
    s0 = q.sum(0) / N
    s1 = q.T @ X / N
    s2 = q.T @ (X * X) / N
    K, D = mu.shape
    gmu = s1 - s0[:, None] * mu
    gsig = -s2 - s0[:, None] * mu ** 2 + s0[:, None] * var + 2 * s1 * mu
    if form == 'gist':
        return np.concatenate([s0 - w, gmu.ravel(), gsig.ravel()])
    u = (s1 - s0[:, None] * mu) / (np.sqrt(w)[:, None] * np.sqrt(var))
    v = (s2 - 2 * mu * s1 + (mu ** 2 - var) * s0[:, None]) / (np.sqrt(2 * w)[:, None] * var)
    if form == 'vlfeat':
        skip = w < 1e-6
        u[skip] = 0
        v[skip] = 0
        return np.concatenate([u.ravel(), v.ravel()])
    return np.concatenate([(s0 - w) / np.sqrt(w), u.ravel(), -v.ravel()])


def spatial_block(form, q, L, w, m, S):
    N = len(L)
    s0 = q.sum(0) / N
    t1 = q.T @ L / N
    t2 = q.T @ (L * L) / N
    if form == 'gist':
        a = t1 - s0[:, None] * m
        b = -t2 - s0[:, None] * m ** 2 + s0[:, None] * S + 2 * t1 * m
    else:
        a = (t1 - s0[:, None] * m) / (np.sqrt(w)[:, None] * np.sqrt(S))
        b = (t2 - 2 * m * t1 + (m ** 2 - S) * s0[:, None]) / (np.sqrt(2 * w)[:, None] * S)
        if form == 'skimage':
            b = -b
        else:
            skip = w < 1e-6
            a[skip] = 0
            b[skip] = 0
    return np.concatenate([a.ravel(), b.ravel()])


def normalise(z, norm):
    if norm == 'improved':
        z = np.sign(z) * np.sqrt(np.abs(z))
        z = z / max(np.sqrt((z * z).sum()), 1e-12)
    return z


def encode(form, norm, layout, spatial, X, P, W, H, w, mu, var, sparsity):
    """SPEC "Spatial layout": cells grid by grid, row-major; each cell's own vector, normalised alone."""
    K, D = mu.shape
    q = posteriors(X, w, mu, var, sparsity)  # once per descriptor
    L = np.stack([P[:, 0] / W, P[:, 1] / H], 1)
    single = len(appearance(form, np.zeros((1, K)), np.zeros((1, D)), w, mu, var))
    if spatial is not None:
        single += 4 * K
    out = []
    for R, C in layout:
        rows = np.array([cell_index(y, R, H) for y in P[:, 1]])
        cols = np.array([cell_index(x, C, W) for x in P[:, 0]])
        for r in range(R):
            for c in range(C):
                sel = (rows == r) & (cols == c)
                if not sel.any():
                    out.append(np.zeros(single))
                    continue
                z = appearance(form, q[sel], X[sel], w, mu, var)
                if spatial is not None:
                    z = np.concatenate([z, spatial_block(form, q[sel], L[sel], w, *spatial)])
                out.append(normalise(z, norm))
    return np.concatenate(out)


def make_case(name, K, D, N, W, H, seed):
    rng = np.random.default_rng(seed)
    os.makedirs(name, exist_ok=True)
    w32 = rng.uniform(0.5, 1.5, K).astype(np.float32)
    w32 /= w32.sum()
    mu32 = rng.normal(0, 1, (K, D)).astype(np.float32)
    var32 = rng.uniform(0.3, 1.5, (K, D)).astype(np.float32)
    sm32 = rng.uniform(0.2, 0.8, (K, 2)).astype(np.float32)
    sv32 = rng.uniform(0.02, 0.12, (K, 2)).astype(np.float32)
    comp = rng.integers(0, K, N)
    X32 = (mu32[comp] + rng.normal(0, 1, (N, D)) * np.sqrt(var32[comp])).astype(np.float32)
    P32 = np.stack([rng.uniform(0, W, N), rng.uniform(0, H, N)], 1).astype(np.float32)
    # Descriptors on borders of 2x2, 3x1, 2x3 and on the image's edges.
    edges = [(0, 0), (W, H), (W / 2, H / 2), (W / 3, H / 3), (2 * W / 3, 2 * H / 3), (W, 0), (0, H)]
    for i, (x, y) in enumerate(edges[:N]):
        P32[i] = (x, y)
    np.savez(os.path.join(name, 'model.npz'), weights=w32, means=mu32, covariances=var32,
             spatial_means=sm32, spatial_variances=sv32)
    np.savez(os.path.join(name, 'image.npz'), descriptors=X32, positions=P32,
             image_size=np.array([W, H], dtype=np.int64))
    w = renormalised(w32)
    mu = mu32.astype(np.float64)
    var = var32.astype(np.float64)
    X = X32.astype(np.float64)
    P = P32.astype(np.float64)
    spatials = {'plain': None, 'spatial': (sm32.astype(np.float64), sv32.astype(np.float64)),
                'uniform': (np.full((K, 2), 0.5), np.full((K, 2), 1.0 / 12))}
    layouts = ['1x1', '1x1,2x2,3x1', '2x3,1x2']
    for form, sparsity in [('vlfeat', 1e-6), ('gist', 0.0), ('skimage', 0.0)]:
        for norm in ['none', 'improved']:
            for lay in layouts:
                grids = [tuple(int(v) for v in g.split('x')) for g in lay.split(',')]
                for sp, spatial in spatials.items():
                    if sp == 'uniform' and lay != '1x1,2x2,3x1':
                        continue
                    v = encode(form, norm, grids, spatial, X, P, W, H, w, mu, var, sparsity)
                    fname = 'expected_%s_%s_%s_%s.npy' % (form, norm, lay.replace(',', '+'), sp)
                    np.save(os.path.join(name, fname), v.astype('<f8'))
    # Hard assignment, one variant, for the kernels' hard path.
    grids = [(1, 1), (2, 2), (3, 1)]
    v = encode('vlfeat', 'improved', grids, spatials['spatial'], X, P, W, H, w, mu, var, 'hard')
    np.save(os.path.join(name, 'expected_vlfeat_improved_1x1+2x2+3x1_spatial_hard.npy'), v.astype('<f8'))


def make_files():
    """Small image archives for the reader's checks: good ones in several image_size dtypes, bad ones."""
    os.makedirs('files', exist_ok=True)
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    p = np.array([[0, 0], [10, 5], [4, 8]], dtype=np.float32)
    def save(name, **arrays):
        np.savez(os.path.join('files', name), **arrays)
    for dt in ['int64', 'int32', 'uint16', 'uint8', 'float32', 'float64']:
        save('ok_size_%s.npz' % dt, descriptors=x, positions=p, image_size=np.array([10, 8], dtype=dt))
    save('ok_f8.npz', descriptors=x.astype(np.float64), positions=p.astype(np.float64), image_size=np.array([10, 8]))
    save('bad_outside.npz', descriptors=x, positions=np.array([[0, 0], [10, 5], [4, 8.5]], np.float32),
         image_size=np.array([10, 8]))
    save('bad_negative.npz', descriptors=x, positions=np.array([[0, 0], [-1, 5], [4, 8]], np.float32),
         image_size=np.array([10, 8]))
    save('bad_mismatch.npz', descriptors=x, positions=p[:2], image_size=np.array([10, 8]))
    save('bad_positions_shape.npz', descriptors=x, positions=p[:, :1].copy(), image_size=np.array([10, 8]))
    save('bad_missing_size.npz', descriptors=x, positions=p)
    save('bad_size_zero.npz', descriptors=x, positions=p, image_size=np.array([10, 0]))
    save('bad_size_fraction.npz', descriptors=x, positions=p, image_size=np.array([10, 8.5]))
    save('bad_size_shape.npz', descriptors=x, positions=p, image_size=np.array([10, 8, 1]))
    save('bad_nan.npz', descriptors=x, positions=np.array([[0, 0], [np.nan, 5], [4, 8]], np.float32),
         image_size=np.array([10, 8]))


if __name__ == '__main__':
    import sys
    if 'files' not in sys.argv[1:]:
        make_case('tiny_K3_D5_N40', 3, 5, 40, 60, 48, 15)
        make_case('mid_K16_D24_N600', 16, 24, 600, 640, 480, 1515)
    make_files()
