#!/usr/bin/python3
"""Makes the PCA test fixtures in core/src/test/resources/golden/pca/ (run from the repository root
with a Python that has NumPy and scikit-learn: /usr/bin/python3 here, NumPy 1.24, scikit-learn 1.2).

Every expected value is computed here, in float64, by NumPy (eigh) or by a NumPy transcription of
docs/SPEC.md ("PCA projection", "Posteriors", "Sufficient statistics", "Fisher-vector forms",
"Normalisations"), from the float32 values the Java code reads. scikit-learn fits the models (PCA then
GaussianMixture, exported as the README says) and cross-checks the transcription of PCA.transform.

Files:
  eigh_<name>_matrix.npy (n, n) float64, eigh_<name>_values.npy (n,) descending,
  eigh_<name>_vectors.npy (n, n) float64, rows = eigenvectors (sign: largest-|.| entry positive)
  pcafit_x.npy (N, Din) float32; pcafit_mean.npy, pcafit_components.npy (D, Din),
  pcafit_variance.npy (D,): mean, top-D eigenvectors and eigenvalues of the covariance (divisor N-1)
  <model>/model.npz: sklearn export (float64 arrays, pca_whiten a 0-d bool); <model>/descriptors.npy
  (N, 128) float32; <model>/projected.npy (N, D) float64; <model>/expected_<form>[_improved].npy
  with each form's default sparsity (VLFEAT t = 1e-6, GIST and SKIMAGE t = 0)
"""
import os
import numpy as np
from sklearn.decomposition import PCA
from sklearn.mixture import GaussianMixture

OUT = os.path.join("core", "src", "test", "resources", "golden", "pca")


def sift_like(rng, n, centres, basis):
    """SIFT-like rows: non-negative, correlated, L2-normalised, clipped at 0.2, renormalised, x 512."""
    z = centres[rng.integers(0, len(centres), n)] + rng.normal(size=(n, basis.shape[0]))
    x = np.maximum(0.0, z @ basis + 0.3 * rng.normal(size=(n, basis.shape[1])))
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    x = np.minimum(x, 0.2)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return (512 * x).astype(np.float32)


def sign_rule(vectors):
    """Each row's largest-magnitude entry positive (the first one on a tie), as SPEC.md says."""
    out = vectors.copy()
    for r in range(out.shape[0]):
        if out[r, np.argmax(np.abs(out[r]))] < 0:
            out[r] = -out[r]
    return out


def eigh_desc(a):
    values, vectors = np.linalg.eigh(a)
    order = np.argsort(values)[::-1]
    return values[order], sign_rule(vectors[:, order].T)


def project(x, mean, components, variance, whiten):
    y = (x.astype(np.float64) - mean) @ components.T
    return y / np.sqrt(variance) if whiten else y


def fisher(y, w, mu, var, form, t, improved):
    n = y.shape[0]
    logp = np.log(w) - 0.5 * (np.log(2 * np.pi) + np.log(var)[None, :, :]
                              + (y[:, None, :] - mu[None, :, :]) ** 2 / var[None, :, :]).sum(axis=2)
    mx = logp.max(axis=1, keepdims=True)
    q = np.exp(logp - mx)
    q /= q.sum(axis=1, keepdims=True)
    q[q < t] = 0.0
    s0 = q.sum(axis=0) / n
    s1 = q.T @ y / n
    s2 = q.T @ (y * y) / n
    sigma = np.sqrt(var)
    u = (s1 - s0[:, None] * mu) / (np.sqrt(w)[:, None] * sigma)
    v = (s2 - 2 * mu * s1 + (mu ** 2 - var) * s0[:, None]) / (np.sqrt(2 * w)[:, None] * var)
    if form == "vlfeat":
        fv = np.concatenate([u.ravel(), v.ravel()])
    elif form == "gist":
        d_pi = s0 - w
        d_mu = s1 - s0[:, None] * mu
        d_sigma = -s2 - s0[:, None] * mu ** 2 + s0[:, None] * var + 2 * s1 * mu
        fv = np.concatenate([d_pi, d_mu.ravel(), d_sigma.ravel()])
    else:
        fv = np.concatenate([(s0 - w) / np.sqrt(w), u.ravel(), (-v).ravel()])
    if improved:
        fv = np.sign(fv) * np.sqrt(np.abs(fv))
        fv = fv / max(np.linalg.norm(fv), 1e-12)
    return fv


def main():
    rng = np.random.default_rng(20261201)
    os.makedirs(OUT, exist_ok=True)
    basis = rng.normal(size=(16, 128))
    centres = 2.5 * rng.normal(size=(12, 16))

    # 1. Eigensolver: a small random symmetric matrix, and a 128 x 128 covariance of SIFT-like rows.
    small = rng.normal(size=(9, 9))
    small = small + small.T
    big = np.cov(sift_like(rng, 5000, centres, basis).astype(np.float64), rowvar=False)
    for name, a in (("small", small), ("sift128", big)):
        values, vectors = eigh_desc(a)
        np.save(os.path.join(OUT, "eigh_%s_matrix.npy" % name), a)
        np.save(os.path.join(OUT, "eigh_%s_values.npy" % name), values)
        np.save(os.path.join(OUT, "eigh_%s_vectors.npy" % name), vectors)

    # 2. PCA fit: mean, components, explained variance of a float32 data set (what Pca.fit returns).
    x = sift_like(rng, 3000, centres, basis)[:, :40].copy()  # Din = 40
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=0)
    values, vectors = eigh_desc(np.cov(x64, rowvar=False))  # divisor N - 1
    d = 12
    np.save(os.path.join(OUT, "pcafit_x.npy"), x)
    np.save(os.path.join(OUT, "pcafit_mean.npy"), mean)
    np.save(os.path.join(OUT, "pcafit_components.npy"), vectors[:d])
    np.save(os.path.join(OUT, "pcafit_variance.npy"), values[:d])
    p = PCA(n_components=d, svd_solver="full").fit(x64)
    assert np.allclose(np.abs(p.components_), np.abs(vectors[:d]), atol=1e-8), "sklearn PCA disagrees with eigh"
    assert np.allclose(p.explained_variance_, values[:d], rtol=1e-10)

    # 3. Models exported from scikit-learn PCA + GaussianMixture; the oracle's expected vectors.
    train = sift_like(rng, 6000, centres, basis)
    test = sift_like(rng, 300, centres, basis)
    for name, whiten in (("sift_D32_K8", False), ("sift_D32_K8_whiten", True)):
        pca = PCA(n_components=32, whiten=whiten, svd_solver="full", random_state=0).fit(train)
        g = GaussianMixture(n_components=8, covariance_type="diag", random_state=0).fit(pca.transform(train))
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        np.savez(os.path.join(folder, "model.npz"), weights=g.weights_, means=g.means_, covariances=g.covariances_,
                 pca_mean=pca.mean_, pca_components=pca.components_,
                 pca_explained_variance=pca.explained_variance_, pca_whiten=pca.whiten)
        np.save(os.path.join(folder, "descriptors.npy"), test)
        # What fvec reads: every array as float32 (the weights renormalised in double, as DiagonalGmm does).
        f = lambda a: np.asarray(a, dtype=np.float32).astype(np.float64)
        w = f(g.weights_)
        w = f((w / w.sum()).astype(np.float32))
        mu, var = f(g.means_), f(g.covariances_)
        y = project(test, f(pca.mean_), f(pca.components_), f(pca.explained_variance_), whiten)
        ref = pca.transform(test.astype(np.float64))
        assert np.allclose(y, ref, rtol=1e-4, atol=1e-4 * np.abs(ref).max()), "transcription != PCA.transform"
        np.save(os.path.join(folder, "projected.npy"), y)
        for form, t in (("vlfeat", 1e-6), ("gist", 0.0), ("skimage", 0.0)):
            for improved in (False, True):
                fv = fisher(y, w, mu, var, form, t, improved)
                np.save(os.path.join(folder, "expected_%s%s.npy" % (form, "_improved" if improved else "")), fv)


if __name__ == "__main__":
    main()
