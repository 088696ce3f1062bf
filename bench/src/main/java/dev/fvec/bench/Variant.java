package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Sparsity;
import java.util.Locale;

/**
 * One encoder configuration, named {@code <form>-<normalisation>-<sparsity>} so that it fits in a
 * JMH {@code @Param} and in a results table:
 *
 * <ul>
 *   <li>form: {@code vlfeat}, {@code gist}, {@code skimage};</li>
 *   <li>normalisation: {@code none}, {@code sqrt} (signed square root only), {@code l2},
 *       {@code improved} (signed square root then L2);</li>
 *   <li>sparsity: {@code t1e-6} (any {@code t<number>}), {@code t0} (none), {@code hard}.</li>
 * </ul>
 *
 * Examples: {@code vlfeat-improved-t1e-6} (what {@code vl_fisher_encode(..., VL_FISHER_FLAG_IMPROVED)}
 * computes), {@code gist-none-t0} (the original sklearn recipe), {@code skimage-improved-hard}.
 * These names match the golden files' {@code expected_<form>[_improved]_<sparsity>.npy}.
 */
public final class Variant {

    /** VLFeat's {@code VL_FISHER_FLAG_SQUARE_ROOT}, from {@code vl/fisher.h} (0.9.21). */
    public static final int VL_FISHER_FLAG_SQUARE_ROOT = 1;
    /** VLFeat's {@code VL_FISHER_FLAG_NORMALIZED}. */
    public static final int VL_FISHER_FLAG_NORMALIZED = 1 << 1;
    /** VLFeat's {@code VL_FISHER_FLAG_IMPROVED} = square root | normalized. */
    public static final int VL_FISHER_FLAG_IMPROVED = VL_FISHER_FLAG_SQUARE_ROOT | VL_FISHER_FLAG_NORMALIZED;
    /** VLFeat's {@code VL_FISHER_FLAG_FAST}: hard assignment to the most likely component. */
    public static final int VL_FISHER_FLAG_FAST = 1 << 2;

    public final String name;
    public final FisherForm form;
    public final String normalisation;
    public final Sparsity sparsity;
    /** The sparsity as written in the name ({@code t1e-6}, {@code t0}, {@code hard}). */
    public final String sparsityName;

    private Variant(String name, FisherForm form, String normalisation, Sparsity sparsity, String sparsityName) {
        this.name = name;
        this.form = form;
        this.normalisation = normalisation;
        this.sparsity = sparsity;
        this.sparsityName = sparsityName;
    }

    /**
     * Parses a name such as {@code vlfeat-improved-t1e-6}.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static Variant parse(String name) {
        String[] parts = name.split("-", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("variant '" + name
                    + "': expected <form>-<normalisation>-<sparsity>, e.g. vlfeat-improved-t1e-6");
        }
        FisherForm form;
        try {
            form = FisherForm.valueOf(parts[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("variant '" + name + "': form '" + parts[0]
                    + "' is not one of vlfeat, gist, skimage", e);
        }
        String norm = parts[1];
        if (!norm.equals("none") && !norm.equals("sqrt") && !norm.equals("l2") && !norm.equals("improved")) {
            throw new IllegalArgumentException("variant '" + name + "': normalisation '" + norm
                    + "' is not one of none, sqrt, l2, improved");
        }
        String s = parts[2];
        Sparsity sparsity;
        if (s.equals("hard")) {
            sparsity = Sparsity.hard();
        } else if (s.startsWith("t")) {
            try {
                sparsity = Sparsity.threshold(Double.parseDouble(s.substring(1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("variant '" + name + "': sparsity '" + s
                        + "' is neither hard nor t<threshold>, e.g. t1e-6 or t0", e);
            }
        } else {
            throw new IllegalArgumentException("variant '" + name + "': sparsity '" + s
                    + "' is neither hard nor t<threshold>, e.g. t1e-6 or t0");
        }
        return new Variant(name, form, norm, sparsity, s);
    }

    /** Applies this variant's form, normalisation and sparsity to {@code b}. */
    public FisherEncoder.Builder configure(FisherEncoder.Builder b) {
        b.form(form).sparsity(sparsity);
        switch (normalisation) {
            case "improved":
                return b.improved();
            case "sqrt":
                return b.power(0.5);
            case "l2":
                return b.l2(true);
            default:
                return b;
        }
    }

    /** Whether the signed square root (power 0.5) is applied. */
    public boolean squareRoot() {
        return normalisation.equals("improved") || normalisation.equals("sqrt");
    }

    /** The same form and sparsity without any normalisation: the raw vector the kernel determines. */
    public Variant raw() {
        return parse(form.name().toLowerCase(Locale.ROOT) + "-none-" + sparsityName);
    }

    /** Whether the output is L2-normalised (so its norm must be 1 unless it is all zero). */
    public boolean l2() {
        return normalisation.equals("improved") || normalisation.equals("l2");
    }

    /** The golden file holding this variant's expected vector, or null if the golden cases lack it. */
    public String goldenFileName() {
        if (normalisation.equals("none") || normalisation.equals("improved")) {
            String t = sparsity.isHard() ? "hard" : sparsity.threshold() == 0 ? "t0"
                    : sparsity.threshold() == 1e-6 ? "t1e-6" : null;
            if (t != null) {
                return "expected_" + form.name().toLowerCase(Locale.ROOT)
                        + (normalisation.equals("improved") ? "_improved" : "") + "_" + t + ".npy";
            }
        }
        return null;
    }

    /**
     * The {@code flags} argument of {@code vl_fisher_encode} that computes this variant.
     *
     * @throws IllegalArgumentException if VLFeat cannot compute it: VLFeat has only the VLFEAT form,
     *     and always drops posteriors below {@code 1e-6} (so {@code t0} is not available)
     */
    public int vlfeatFlags() {
        if (form != FisherForm.VLFEAT) {
            throw new IllegalArgumentException("variant '" + name + "': VLFeat computes only the vlfeat form");
        }
        int flags = 0;
        if (sparsity.isHard()) {
            flags |= VL_FISHER_FLAG_FAST;
        } else if (sparsity.threshold() != 1e-6) {
            throw new IllegalArgumentException("variant '" + name
                    + "': VLFeat always drops posteriors below 1e-6; use t1e-6 or hard");
        }
        switch (normalisation) {
            case "improved":
                return flags | VL_FISHER_FLAG_IMPROVED;
            case "sqrt":
                return flags | VL_FISHER_FLAG_SQUARE_ROOT;
            case "l2":
                return flags | VL_FISHER_FLAG_NORMALIZED;
            default:
                return flags;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
