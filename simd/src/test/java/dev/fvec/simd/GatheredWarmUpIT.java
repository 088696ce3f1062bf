package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gathered groups' warm-up is paid only by processes that use models of 4 to 7 groups of lanes,
 * and runs in {@code warmUp()} once such an encoder exists: the real warm-up, in a JVM of its own
 * (the pom's {@code simd-warm-up} execution), on JDK 17 (where gathered groups never serve) and 25
 * alike.
 */
class GatheredWarmUpIT {

    private static final int L = VectorLanes.LANES;
    private static final int ATTEMPTS = 3;

    @Test
    void onlyAModelOfGatheredGroupsBuysTheirWarmUpAndItsKernelsThenPrune() throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(11);
        DiagonalGmm model = PruningProperties.gatheredClusters(GroupGeometry.MIN_GATHERED_GROUPS, 48, rnd);
        float[] x = PruningProperties.nearOrBetween(model, 700, rnd);
        Sparsity t = Sparsity.threshold(1e-6);

        // A service that warms up before it has a model: the lanes and seeded pruning, not the gathered groups.
        // A warm-up that ran out of its budget on a busy machine is tried again by the next call.
        for (int i = 0; i < ATTEMPTS && !(VectorWarmUp.isWarm() && VectorWarmUp.isSeededWarm()); i++) {
            new SimdKernelProvider().warmUp();
        }
        assertTrue(VectorWarmUp.isWarm(), "vector lanes warm");
        assertTrue(VectorWarmUp.isSeededWarm(), "seeded pruning warm");
        assertFalse(VectorWarmUp.isGatheredWarm(), "no model of gathered groups yet: their warm-up not paid");

        // Its first kernel of such a model does not start their warm-up (it ran during the first
        // calls); it serves unpruned, bitwise the same, until warmUp() is called again.
        SimdKernel auto = SimdKernel.auto(model, t);
        GmmStatistics unprunedStats = GmmStatistics.forModel(model);
        SimdKernel.of(model, t, false, false).accumulate(x, 0, 700, unprunedStats);
        for (int i = 0; i < 5; i++) {
            GmmStatistics a = GmmStatistics.forModel(model);
            auto.accumulate(x, 0, 700, a);
            TwinMatchesVectorProperties.assertBitwiseEqual(unprunedStats, a, "auto kernel before the gathered warm-up");
            Thread.sleep(50);
        }
        assertFalse(VectorWarmUp.isGatheredWarm(), "not started by a kernel nor by a little work");
        assertEquals(0, auto.prunedGroups());

        new SimdKernelProvider().warmUp();
        for (int i = 1; i < ATTEMPTS && GroupGeometry.GATHERS && !VectorWarmUp.isGatheredWarm(); i++) {
            new SimdKernelProvider().warmUp();
        }
        assertEquals(GroupGeometry.GATHERS, VectorWarmUp.isGatheredWarm(), "gathered groups warm where they serve (JDK 21 on)");

        long before = auto.prunedGroups();
        GmmStatistics a = GmmStatistics.forModel(model);
        auto.accumulate(x, 0, 700, a);
        long pairs = 700L / SimdKernel.BLOCK * SimdKernel.BLOCK * (model.components() / L);
        long pruned = auto.prunedGroups() - before;
        if (GroupGeometry.GATHERS) {
            assertTrue(pruned >= pairs / 2, "pruned " + pruned + " of " + pairs);
        } else {
            assertEquals(0, pruned, "4 groups do not prune without gathered groups");
        }
        TwinMatchesVectorProperties.assertBitwiseEqual(unprunedStats, a, "auto kernel after the gathered warm-up");
    }
}
