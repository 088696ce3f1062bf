package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import java.util.ArrayList;
import java.util.List;

/**
 * Every tolerance the SIMD-versus-scalar tests use, in one place: a first-order error model of the
 * float kernel, evaluated on the actual data, that says how far each statistic and each Fisher
 * vector element may legitimately be from the double-precision reference.
 *
 * <h2>Why not one fixed relative tolerance</h2>
 * The kernel computes log-likelihoods in float. Their error grows with their size, so a fixed
 * tolerance is either too loose on ordinary data (where it should catch a dropped descriptor) or
 * fails on far outliers and near-zero variances (where float legitimately cannot resolve the
 * posteriors). Posteriors near the threshold {@code t}, or two components tied for hard
 * assignment, can also legitimately flip between float and double. So the bounds below are
 * derived per term, and are tight wherever the data are well conditioned.
 *
 * <h2>The model (u = 2^-24, the float unit roundoff)</h2>
 * <ol>
 *   <li><b>Log-likelihoods.</b> The kernel computes {@code lp = fl(rel_k) - sum_j t_j^2} in the
 *       2-FMA form ({@link PackedModel}): {@code t = fma(x', -s, b)}, {@code x' = fl(x - c)},
 *       {@code s = fl(1 / sqrt(2 var))}, {@code b = fl((mu - c) s)}, {@code rel_k} the
 *       log-normaliser minus the largest one. Unlike the direct form's exact {@code fl(mu - x)} near
 *       the mean, {@code t} carries an absolute error from the rounding of {@code b} and {@code x'}:
 *       {@code |t_f - t| <= 3u |t| + 2u |b|}, so {@code |t_f^2 - t^2| <= 6u t^2 + 4u |t| |b| + 8u^2 b^2};
 *       over {@code j}, by Cauchy-Schwarz, {@code 6u quad + 4u sqrt(quad) B_k + 8u^2 B_k^2} with
 *       {@code B_k = ||b_k||} ({@link PackedModel#offsetNorm}). The FMA accumulation adds at most
 *       {@code u quad} per term (every partial sum is at most the total, all terms are positive), so
 *       {@code |lp_f - lp| <= E = u (|rel| + (D + 8) quad + 4 sqrt(quad) B_k + 8u B_k^2 + |lp_rel|)},
 *       times 1.1 for second order. (The direct form's bound was {@code u (|rel| + (D + 4) quad + |lp_rel|)}:
 *       the 2-FMA form is a little looser near the means and much looser for components whose
 *       centred means are many of their standard deviations from the centre, large {@code B_k}.)</li>
 *   <li><b>Posteriors.</b> With every {@code lp_j} off by at most {@code E_j},
 *       {@code q_k = 1 / (1 + R_k)}, {@code R_k = sum_{j != k} exp(lp_j - lp_k)}, lies in
 *       {@code [1 / (1 + R+), 1 / (1 + R-)]} with {@code R+-} the same sum with exponents moved by
 *       {@code +-(E_j + E_k)}: exact interval arithmetic, so a far outlier whose best component wins
 *       by more than the errors still gets a tight interval. The rest of the float pipeline (the
 *       shift by the max, the polynomial exp, the sum, the reciprocal, the product) adds
 *       {@code u (|lp_k - lp_max| + Kpad + 16 + spread)} relative, where {@link ExpTest} checks the exp
 *       part; and an absolute {@code 1e-37} covers exp's flush to zero below {@code -87.3}. With a
 *       threshold {@code t > 0}, the exps' cut ({@code SimdKernel.pruneCut}) leaves out of the sum terms below {@code 2^-26}
 *       in total (the sum is at least 1): another {@code u} relative, for the posteriors and the
 *       log-likelihood.</li>
 *   <li><b>Sparsification.</b> A term is <i>ambiguous</i> when its interval straddles the threshold
 *       (widened by {@code 4u}, the rounding of {@code fl(t) * sum}); for hard assignment, when
 *       another component's log-likelihood interval reaches the best one's. An ambiguous term may be
 *       present in either result and not the other: its allowance is its largest possible
 *       posterior, and the kept count may differ by one per ambiguous term. Other terms are kept or
 *       dropped by both.</li>
 *   <li><b>Accumulation.</b> The kernel sums {@code q (x - mu)} and {@code q (x - mu)^2} in float
 *       windows of at most {@value KeptTerms#FLUSH_TERMS} terms per component, then adds them to
 *       double: error at most {@code u (FLUSH_TERMS + 4) sum q |x - mu|^p}, plus the smallest
 *       subnormal float ({@code 1.4e-45}) per term for products that underflow (tiny scales and
 *       posteriors near {@code 1e-37} do that). The double parts (the
 *       reference's sums, the flush's {@code mu * W}, the form's cancellations) get {@code 1e-13} of
 *       the magnitudes involved: 1000x the double roundoff of the sums in these tests.</li>
 *   <li><b>Fisher vectors.</b> The statistic bounds propagate linearly through each form, using the
 *       centred sums ({@code S1 - mu S0 = sum q (x - mu)}) so the bound does not inherit
 *       {@code mu^2} cancellation; power normalisation uses Hoelder's inequality
 *       {@code |f(a) - f(b)| <= 2^(1-alpha) |a - b|^alpha} near zero and the mean value theorem away
 *       from it; L2 uses {@code |a/|a| - b/|b|| <= |a - b| / |b| + |a| | |a| - |b| | / (|a| |b|)}; and
 *       each output's own float rounding adds {@code 2u |expected|}.</li>
 * </ol>
 * Every bound is then multiplied by {@link #SAFETY}: the analysis is first order and the
 * constants are not hand-tuned, and this factor is what makes the tests stable. It still leaves the
 * bounds orders of magnitude below the effect of a dropped descriptor, a swapped pair of components
 * or an off-by-one in a tail, which move statistics by a whole posterior (0.01 .. 1) rather than by
 * a few float roundings: {@link BrokenKernelTest} shows each of those failing.
 */
final class FloatErrorModel {

    /** Float unit roundoff. */
    static final double U = 0x1p-24;
    /** Headroom over the first-order bounds; see the class comment. */
    static final double SAFETY = 2;
    /** Relative allowance for double-precision sums and cancellations. */
    static final double DOUBLE_SLACK = 1e-13;

    final DiagonalGmm model;
    final int k;
    final int d;
    final int n;
    final Sparsity sparsity;

    // Allowances, K or K x D (already multiplied by SAFETY).
    final double[] s0;
    final double[] s1;
    final double[] s2;
    final double[] centred1; // for sum q (x - mu)
    final double[] centred2; // for sum q ((x - mu)^2 - var)
    final double logLikelihood;
    final long keptSlack;

    private FloatErrorModel(DiagonalGmm model, float[] x, int n, Sparsity sparsity, double[] inputError) {
        this.model = model;
        this.k = model.components();
        this.d = model.dimension();
        this.n = n;
        this.sparsity = sparsity;
        int kpad = (k + VectorLanes.LANES - 1) / VectorLanes.LANES * VectorLanes.LANES;
        float[] means = model.means();
        float[] vars = model.variances();
        PackedModel packed = new PackedModel(model, VectorLanes.LANES);
        double maxLn = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            maxLn = Math.max(maxLn, model.logNormalizer(c));
        }
        double[] lp = new double[k];
        double[] err = new double[k];
        double[] allowance = new double[k]; // A_nk: how much of term (n, k) may differ
        double[] upper = new double[k]; // q+: the largest posterior term (n, k) may carry
        double[] a0 = new double[k];
        double[] a1 = new double[k * d];
        double[] a2 = new double[k * d];
        double[] acc1 = new double[k * d];
        double[] acc2 = new double[k * d];
        double[] dbl1 = new double[k * d];
        double[] dbl2 = new double[k * d];
        double[] qSum = new double[k];
        double[] c1 = new double[k * d];
        double[] c2 = new double[k * d];
        double llBound = 0;
        long ambiguous = 0;
        double t = sparsity.threshold();
        double window = U * (KeptTerms.FLUSH_TERMS + 4);
        double pruned = !sparsity.isHard() && t > 0 ? 1 : 0;
        for (int i = 0; i < n; i++) {
            int row = i * d;
            int best = 0;
            for (int c = 0; c < k; c++) {
                double quad = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x[row + j] - (double) means[c * d + j];
                    quad += diff * diff / vars[c * d + j];
                }
                quad *= 0.5;
                double rel = model.logNormalizer(c) - maxLn;
                lp[c] = model.logNormalizer(c) - quad;
                double bk = packed.offsetNorm[c];
                err[c] = 1.1 * U * (Math.abs(rel) + (d + 8) * quad + 4 * Math.sqrt(quad) * bk + 8 * U * bk * bk
                        + Math.abs(rel - quad))
                        + DOUBLE_SLACK * (Math.abs(rel) + quad);
                if (lp[c] > lp[best]) {
                    best = c;
                }
            }
            if (inputError != null) {
                // The projection term: the SIMD kernel's input (its float projection) differs from the
                // reference's by up to e_j per dimension, which moves lp_k by sum_j (|x_j - mu_kj| e_j + e_j^2 / 2) / var_kj.
                for (int c = 0; c < k; c++) {
                    double moved = 0;
                    for (int j = 0; j < d; j++) {
                        double e = inputError[row + j];
                        moved += (Math.abs(x[row + j] - (double) means[c * d + j]) * e + e * e / 2) / vars[c * d + j];
                    }
                    err[c] += moved;
                }
            }
            double logSum = logSumExp(lp, -1, 0, lp, 0);
            double spread = 0;
            for (int c = 0; c < k; c++) {
                double q = Math.exp(lp[c] - logSum);
                spread += q * Math.abs(lp[c] - lp[best]);
            }
            // Log-likelihood: log sum exp(lp + delta) - log sum exp(lp) within [lo, hi].
            double hi = logSumExp(lp, -1, 0, err, 1) - logSum;
            double lo = logSumExp(lp, -1, 0, err, -1) - logSum;
            llBound += Math.max(Math.abs(hi), Math.abs(lo)) + U * (kpad + 16 + spread + pruned)
                    + DOUBLE_SLACK * Math.abs(logSum);

            for (int c = 0; c < k; c++) {
                double q = Math.exp(lp[c] - logSum);
                // + pruned: with t > 0, the exps' cut (SimdKernel.pruneCut) skips terms below 2^-26 in total, U/4.
                double r = U * (Math.abs(lp[c] - lp[best]) + kpad + 16 + spread + pruned);
                // q_k = 1 / (1 + R_k), R_k = sum_{j != k} exp(lp_j - lp_k), with exponents moved by +-(E_j + E_k).
                double qLo = 1 / (1 + Math.exp(logSumExp(lp, c, lp[c], err, 1, err[c])));
                double qHi = 1 / (1 + Math.exp(logSumExp(lp, c, lp[c], err, -1, err[c])));
                qLo = Math.max(0, qLo * (1 - r) - 1e-37);
                qHi = Math.min(1, qHi * (1 + r) + 1e-37);
                double dq = Math.max(qHi - q, q - qLo);
                if (sparsity.isHard()) {
                    boolean contender = lp[c] + err[c] >= lp[best] - err[best];
                    boolean sole = contender && c == best && isSoleContender(lp, err, best);
                    allowance[c] = contender && !sole ? 1 : 0;
                    upper[c] = contender ? 1 : 0; // hard keeps exactly one term per descriptor: no count slack
                } else if (t == 0) {
                    allowance[c] = dq;
                    upper[c] = qHi;
                } else {
                    boolean mayKeep = qHi >= t * (1 - 4 * U);
                    boolean mayDrop = qLo < t * (1 + 4 * U);
                    if (mayKeep && mayDrop) {
                        allowance[c] = qHi;
                        ambiguous++;
                    } else {
                        allowance[c] = mayKeep ? dq : 0;
                    }
                    upper[c] = mayKeep ? qHi : 0;
                }
            }
            for (int c = 0; c < k; c++) {
                double a = allowance[c];
                double up = upper[c];
                a0[c] += a;
                qSum[c] += up;
                for (int j = 0; j < d; j++) {
                    int kj = c * d + j;
                    double xv = x[row + j];
                    double mu = means[kj];
                    double y = xv - mu;
                    double var = vars[kj];
                    a1[kj] += a * Math.abs(xv);
                    a2[kj] += a * xv * xv;
                    c1[kj] += a * Math.abs(y);
                    c2[kj] += a * Math.abs(y * y - var);
                    double underflow = up > 0 ? Float.MIN_VALUE : 0;
                    acc1[kj] += window * up * Math.abs(y) + underflow;
                    acc2[kj] += window * up * y * y + underflow * (1 + Math.abs(y));
                    dbl1[kj] += DOUBLE_SLACK * up * (Math.abs(xv) + Math.abs(mu));
                    dbl2[kj] += DOUBLE_SLACK * up * (xv * xv + 2 * Math.abs(mu * xv) + mu * mu + var);
                    if (inputError != null) { // the projection term: the inputs themselves differ by up to e
                        double e = inputError[row + j];
                        acc1[kj] += up * e;
                        acc2[kj] += up * (2 * Math.abs(y) * e + e * e);
                    }
                }
            }
        }
        this.s0 = new double[k];
        this.s1 = new double[k * d];
        this.s2 = new double[k * d];
        this.centred1 = new double[k * d];
        this.centred2 = new double[k * d];
        for (int c = 0; c < k; c++) {
            s0[c] = SAFETY * (a0[c] + DOUBLE_SLACK * qSum[c]);
            for (int j = 0; j < d; j++) {
                int kj = c * d + j;
                double mu = Math.abs(means[kj]);
                s1[kj] = SAFETY * (a1[kj] + acc1[kj] + dbl1[kj]);
                s2[kj] = SAFETY * (a2[kj] + acc2[kj] + 2 * mu * acc1[kj] + dbl2[kj]);
                centred1[kj] = SAFETY * (c1[kj] + acc1[kj] + dbl1[kj]);
                centred2[kj] = SAFETY * (c2[kj] + acc2[kj] + dbl2[kj]);
            }
        }
        this.logLikelihood = SAFETY * llBound;
        this.keptSlack = ambiguous;
    }

    /** The error model of {@code n} descriptors {@code x} against {@code model} with {@code sparsity}. */
    static FloatErrorModel of(DiagonalGmm model, float[] x, int n, Sparsity sparsity) {
        return new FloatErrorModel(model, x, n, sparsity, null);
    }

    /**
     * The error model when the SIMD kernel's inputs are not {@code x} itself but within
     * {@code inputError[n' * D + j]} of it (PCA: {@code x} is the reference's projection, the SIMD
     * kernel takes its own float projection; see {@code ProjectionErrorTerm}): the projection term
     * adds {@code sum_j (|x_j - mu_kj| e_j + e_j^2 / 2) / var_kj} to each log-likelihood bound, and
     * {@code q e}, {@code q (2 |x - mu| e + e^2)} to the first and second moments' accumulation bounds.
     */
    static FloatErrorModel of(DiagonalGmm model, float[] x, int n, Sparsity sparsity, double[] inputError) {
        return new FloatErrorModel(model, x, n, sparsity, inputError);
    }

    private static boolean isSoleContender(double[] lp, double[] err, int best) {
        for (int c = 0; c < lp.length; c++) {
            if (c != best && lp[c] + err[c] >= lp[best] - err[best]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code log sum_{j != skip} exp(lp_j - shift + sign * (e_j + extra))}; {@code -inf} for an empty
     * sum. With {@code skip = -1}, {@code shift = 0}, {@code sign = 0}: the plain log-sum-exp.
     */
    private static double logSumExp(double[] lp, int skip, double shift, double[] e, int sign) {
        return logSumExp(lp, skip, shift, e, sign, 0);
    }

    private static double logSumExp(double[] lp, int skip, double shift, double[] e, int sign, double extra) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < lp.length; j++) {
            if (j != skip) {
                max = Math.max(max, lp[j] - shift + sign * (e[j] + extra));
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int j = 0; j < lp.length; j++) {
            if (j != skip) {
                sum += Math.exp(lp[j] - shift + sign * (e[j] + extra) - max);
            }
        }
        return max + Math.log(sum);
    }

    /** The violations of {@code got} against {@code expected}, at most a few, or an empty list. */
    List<String> compareStatistics(GmmStatistics expected, GmmStatistics got) {
        List<String> out = new ArrayList<>();
        if (expected.count() != got.count()) {
            out.add("N = " + got.count() + ", expected " + expected.count());
        }
        if (Math.abs(expected.keptTerms() - got.keptTerms()) > keptSlack) {
            out.add("kept terms = " + got.keptTerms() + ", expected " + expected.keptTerms() + " +- " + keptSlack);
        }
        if (!(Math.abs(expected.logLikelihood() - got.logLikelihood()) <= logLikelihood)) {
            out.add("log-likelihood = " + got.logLikelihood() + ", expected " + expected.logLikelihood()
                    + " +- " + logLikelihood);
        }
        out.addAll(compareMoments(expected, got));
        return out;
    }

    /** The violations in {@code S0}, {@code S1}, {@code S2} only, at most a few. */
    List<String> compareMoments(GmmStatistics expected, GmmStatistics got) {
        List<String> out = new ArrayList<>();
        check(out, "S0", expected.s0(), got.s0(), s0);
        check(out, "S1", expected.s1(), got.s1(), s1);
        check(out, "S2", expected.s2(), got.s2(), s2);
        return out;
    }

    private void check(List<String> out, String name, double[] expected, double[] got, double[] bound) {
        for (int i = 0; i < expected.length && out.size() < 8; i++) {
            if (!(Math.abs(expected[i] - got[i]) <= bound[i])) {
                out.add(name + "[" + i + "] (component " + i / (name.equals("S0") ? 1 : d) + ") = " + got[i]
                        + ", expected " + expected[i] + " +- " + bound[i]);
            }
        }
    }

    /**
     * Element-wise allowances for the Fisher vector {@code encoder} makes, given {@code raw}: the
     * reference's vector in the same form with no normalisation.
     */
    double[] vectorBounds(FisherEncoder encoder, float[] raw) {
        FisherForm form = encoder.form();
        int len = raw.length;
        double[] b = new double[len];
        if (n == 0) {
            return b; // both are exactly zero
        }
        float[] vars = model.variances();
        int pi = form == FisherForm.VLFEAT ? 0 : k;
        for (int c = 0; c < k; c++) {
            double w = model.weight(c);
            double sqrtW = Math.sqrt(w);
            if (form == FisherForm.GIST) {
                b[c] = s0[c] / n;
            } else if (form == FisherForm.SKIMAGE) {
                b[c] = s0[c] / n / sqrtW;
            }
            boolean skipped = form == FisherForm.VLFEAT && w < 1e-6;
            for (int j = 0; j < d; j++) {
                int kj = c * d + j;
                double var = vars[kj];
                if (skipped) {
                    continue;
                }
                if (form == FisherForm.GIST) {
                    b[pi + kj] = centred1[kj] / n;
                    b[pi + k * d + kj] = centred2[kj] / n;
                } else {
                    b[pi + kj] = centred1[kj] / n / (sqrtW * Math.sqrt(var));
                    b[pi + k * d + kj] = centred2[kj] / n / (Math.sqrt(2.0) * sqrtW * var);
                }
            }
        }
        double[] z = new double[len];
        for (int i = 0; i < len; i++) {
            z[i] = raw[i];
            b[i] += 2 * U * Math.abs(z[i]); // raw is itself a rounded float
        }
        double alpha = encoder.power();
        if (alpha != 0 && alpha != 1) {
            for (int i = 0; i < len; i++) {
                double a = Math.abs(z[i]);
                double holder = Math.pow(2, 1 - alpha) * Math.pow(b[i], alpha);
                double mvt = a > b[i] ? alpha * Math.pow(a - b[i], alpha - 1) * b[i] : Double.POSITIVE_INFINITY;
                b[i] = Math.min(holder, mvt);
                z[i] = Math.copySign(Math.pow(a, alpha), z[i]);
            }
        }
        if (encoder.l2()) {
            double norm = 0;
            double errNorm = 0;
            for (int i = 0; i < len; i++) {
                norm += z[i] * z[i];
                errNorm += b[i] * b[i];
            }
            norm = Math.sqrt(norm);
            errNorm = Math.sqrt(errNorm);
            double low = Math.max(norm - errNorm, 1e-12);
            double scale = Math.max(norm, 1e-12);
            for (int i = 0; i < len; i++) {
                double bi = b[i] / low + Math.abs(z[i]) * errNorm / (scale * low);
                z[i] /= scale;
                b[i] = norm - errNorm <= 1e-12 ? 2 : bi; // no control over a vanishing norm
            }
        }
        for (int i = 0; i < len; i++) {
            b[i] = SAFETY * b[i] + 2 * U * Math.abs(z[i]) + 1e-30;
        }
        return b;
    }

    /** The violations of {@code got} against {@code expected} within {@code bounds}, at most a few. */
    static List<String> compareVectors(float[] expected, float[] got, double[] bounds) {
        List<String> out = new ArrayList<>();
        if (expected.length != got.length) {
            out.add("length " + got.length + ", expected " + expected.length);
            return out;
        }
        for (int i = 0; i < expected.length && out.size() < 8; i++) {
            if (!(Math.abs((double) expected[i] - got[i]) <= bounds[i])) {
                out.add("element " + i + " = " + got[i] + ", expected " + expected[i] + " +- " + bounds[i]);
            }
        }
        return out;
    }
}
