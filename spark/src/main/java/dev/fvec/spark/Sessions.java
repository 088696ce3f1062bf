package dev.fvec.spark;

import org.apache.spark.sql.SparkSession;

/** Access to the classic (in-JVM, not Spark Connect) session that fvec-spark's internal-row paths need. */
final class Sessions {

    private Sessions() {
    }

    /**
     * {@code spark} as the classic session, whose {@code internalCreateDataFrame} builds a
     * DataFrame from Spark's internal rows without converting every value.
     *
     * @throws UnsupportedOperationException for a Spark Connect session
     */
    static org.apache.spark.sql.classic.SparkSession classic(SparkSession spark) {
        if (spark instanceof org.apache.spark.sql.classic.SparkSession) {
            return (org.apache.spark.sql.classic.SparkSession) spark;
        }
        throw new UnsupportedOperationException("fvec-spark runs in a classic Spark session (its code on the"
                + " executors), not through Spark Connect: " + spark.getClass().getName());
    }
}
