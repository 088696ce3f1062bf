package dev.fvec.spi;

/** {@link CellRows#scalar(int)}: the row in plain Java, with {@code lanes} partial sums of squares. */
final class ScalarCellRows implements CellRows {

    private final int lanes;
    private final double[] acc;

    ScalarCellRows(int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes = " + lanes + ": need at least one");
        }
        this.lanes = lanes;
        this.acc = new double[lanes];
    }

    @Override
    public double row(double[] s1, double[] s2, int at, int d, double invN, double s0k, double[] mu, double[] c,
            double[] uScale, double[] vScale, double vZero, boolean root, double[] fv, int uAt, int vAt) {
        java.util.Arrays.fill(acc, 0);
        int main = d - d % lanes;
        double tail = 0;
        for (int j = 0; j < d; j++) {
            int i = at + j;
            double m1 = s1[i] * invN;
            double m2 = s2[i] * invN;
            double m = mu[i];
            double u = (m1 - s0k * m) * uScale[i];
            double v = ((m2 - (2 * m) * m1) + c[i] * s0k) * vScale[i] + vZero;
            if (root) {
                u = Math.copySign(Math.sqrt(Math.abs(u)), u);
                v = Math.copySign(Math.sqrt(Math.abs(v)), v);
            }
            fv[uAt + j] = u;
            fv[vAt + j] = v;
            if (j < main) {
                int l = j % lanes;
                acc[l] = acc[l] + u * u;
                acc[l] = acc[l] + v * v;
            } else {
                tail = tail + u * u;
                tail = tail + v * v;
            }
        }
        double sum = 0;
        for (int l = 0; l < lanes; l++) {
            sum += acc[l];
        }
        return sum + tail;
    }
}
