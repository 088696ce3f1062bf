#!/usr/bin/python3
"""The scikit-learn side of the end-to-end benchmark (bench/e2e/run.sh): what a Python user runs.

    /usr/bin/python3 bench/e2e/sklearn_fit.py K DATA.npy OUT.npz

Fits GaussianMixture(K, covariance_type='diag') with its defaults (k-means initialisation,
tol=1e-3, max_iter=100, reg_covar=1e-6, n_init=1) except random_state=0, which only makes the
reported log-likelihood repeatable, on the rows of DATA.npy, and saves the model the way fvec's
README exports one (weights, means, covariances). The whole process is timed, the Python start and
the imports included.
"""

import sys

import numpy as np
from sklearn.mixture import GaussianMixture


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    k, data, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    x = np.load(data)
    g = GaussianMixture(n_components=k, covariance_type="diag", random_state=0).fit(x)
    np.savez(out, weights=g.weights_, means=g.means_, covariances=g.covariances_)


if __name__ == "__main__":
    main()
